package io.earshot.intercom.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.http.json.Refusal;

/** {@code intercom:send SECONDS [CHANNELS]}: records that much of the stream and sends it to every intercom client. */
@Component(service = IntercomCommand.class)
@GogoCommand(scope = "intercom", function = {"send"})
public final class IntercomCommand {

    static final String USAGE = "Usage: intercom:send SECONDS [CHANNELS]  (CHANNELS: numbers separated by commas, e.g. 0,1; default all)";

    private final IntercomSender sender;

    @Activate
    public IntercomCommand(@Reference IntercomSender sender) {
        this.sender = sender;
    }

    public String send() {
        return USAGE;
    }

    public String send(String seconds) {
        return send(seconds, null);
    }

    public String send(String seconds, String channels) {
        double value;
        try {
            value = Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            return "Not sent: SECONDS must be a number, got '" + seconds + "'. " + USAGE;
        }
        try {
            IntercomSender.Sent sent = sender.send(value, channels == null ? null : IntercomSender.parseChannels(channels));
            return String.format("Sent clip %d (%.2f s, channel%s %s at %d Hz, %d bytes) to %d client(s)%s%s", sent.clip(),
                    sent.seconds(), sent.channels().length == 1 ? "" : "s",
                    Arrays.stream(sent.channels()).mapToObj(String::valueOf).collect(Collectors.joining(",")), sent.rate(),
                    sent.bytes(), sent.to().size(), sent.to().isEmpty() ? "" : ": " + String.join(", ", sent.to()),
                    sent.dropped().isEmpty() ? "" : "; dropped for " + String.join(", ", sent.dropped()) + " (their queue is full)");
        } catch (Refusal e) {
            return "Not sent: " + e.getMessage();
        }
    }
}
