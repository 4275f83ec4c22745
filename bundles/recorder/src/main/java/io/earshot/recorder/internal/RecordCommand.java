package io.earshot.recorder.internal;

import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.http.json.Refusal;

/**
 * {@code earshot:record [SECONDS] [NAME]}: records the stream into data/recordings/NAME.wav
 * (without SECONDS until {@code earshot:record-stop NAME}); {@code earshot:recordings} lists them.
 */
@Component(service = RecordCommand.class)
@GogoCommand(scope = "earshot", function = {"record", "recordings"})
public final class RecordCommand {

    private final DiskRecorder recorder;

    @Activate
    public RecordCommand(@Reference DiskRecorder recorder) {
        this.recorder = recorder;
    }

    public String record() {
        return start(null, null);
    }

    /** One argument: a number is the seconds, anything else the name of a recording until stopped. */
    public String record(String secondsOrName) {
        try {
            return start(Double.valueOf(secondsOrName), null);
        } catch (NumberFormatException notSeconds) {
            return start(null, secondsOrName);
        }
    }

    public String record(String seconds, String name) {
        try {
            return start(Double.valueOf(seconds), name);
        } catch (NumberFormatException e) {
            return "Not recorded: SECONDS must be a number, got '" + seconds + "'. Usage: earshot:record [SECONDS] [NAME]";
        }
    }

    private String start(Double seconds, String name) {
        try {
            DiskRecording recording = recorder.start(name, seconds);
            return "Recording " + recording.name() + " into " + recorder.folder().resolve(RecordingNames.partFile(recording.name(), 1))
                    + (seconds == null ? " until earshot:record-stop " + recording.name() : " for " + seconds + " s")
                    + "; earshot:recordings lists the recordings";
        } catch (Refusal e) {
            return "Not recorded: " + e.getMessage();
        }
    }

    @SuppressWarnings("unchecked")
    public String recordings() {
        Map<String, Object> list = recorder.list();
        StringBuilder out = new StringBuilder("Recordings in " + list.get("folder") + ":\n");
        List<Map<String, Object>> recordings = (List<Map<String, Object>>) list.get("recordings");
        for (Map<String, Object> r : recordings) {
            out.append(String.format("  %-30s %-12s %9.2f s %12d bytes  %d file(s)%s%s%n", r.get("name"), r.get("state"),
                    (Double) r.get("seconds"), (Long) r.get("bytes"), ((List<?>) r.get("files")).size(),
                    (Long) r.get("lost_buffers") > 0 ? "  " + r.get("lost_buffers") + " buffers lost" : "",
                    r.get("error") == null ? "" : "  (" + r.get("error") + ")"));
        }
        if (recordings.isEmpty()) out.append("  none\n");
        if ((Integer) list.get("not_listed") > 0) out.append("  ... and ").append(list.get("not_listed")).append(" more\n");
        return out.toString();
    }
}
