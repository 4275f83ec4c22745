package io.earshot.recorder.internal;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.http.json.Refusal;

/**
 * {@code earshot:record-stop NAME}. Gogo calls the method named like the function; no method can
 * be named {@code record-stop}, so Gogo's fallback {@code _main} takes it, given the function's
 * name first.
 */
@Component(service = RecordStopCommand.class)
@GogoCommand(scope = "earshot", function = {"record-stop"})
public final class RecordStopCommand {

    private final DiskRecorder recorder;

    @Activate
    public RecordStopCommand(@Reference DiskRecorder recorder) {
        this.recorder = recorder;
    }

    public String _main(String function) {
        return "Usage: earshot:record-stop NAME (earshot:recordings lists them)";
    }

    public String _main(String function, String name) {
        try {
            var stopped = recorder.stop(name);
            return "Stopped " + name + ": " + String.format("%.2f", (Double) stopped.get("seconds")) + " s, "
                    + stopped.get("bytes") + " bytes in " + ((java.util.List<?>) stopped.get("files")).size() + " file(s)";
        } catch (Refusal e) {
            return "Not stopped: " + e.getMessage();
        }
    }
}
