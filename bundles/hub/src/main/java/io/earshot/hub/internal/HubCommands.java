package io.earshot.hub.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.earshot.api.ConfigChange;
import io.earshot.api.StreamConfig;
import io.earshot.api.Streams;

/**
 * Gogo commands of the hub: {@code earshot:status}, {@code earshot:config}, {@code earshot:source},
 * {@code earshot:streams}. Those about one stream take {@code --stream ID} first (main when absent).
 */
@Component(service = HubCommands.class)
@GogoCommand(scope = "earshot", function = {"status", "config", "source", "streams"})
public final class HubCommands {

    private static final String STREAM_OPTION = "--stream";

    private final HubImpl hub;
    private final StatusDocument status;
    private final SourceSelection sources;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Activate
    public HubCommands(@Reference HubImpl hub, @Reference StatusDocument status,
                       @Reference SourceSelection sources) {
        this.hub = hub;
        this.status = status;
        this.sources = sources;
    }

    /** The arguments after an optional {@code --stream ID}, and that stream (main when absent). */
    record Arguments(String stream, String[] rest, String problem) {
        static Arguments of(String... args) {
            if (args.length > 0 && (STREAM_OPTION.equals(args[0]) || "-s".equals(args[0]))) {
                if (args.length < 2) {
                    return new Arguments(null, args, STREAM_OPTION + " needs a stream id, e.g. " + STREAM_OPTION + " main");
                }
                return new Arguments(args[1], java.util.Arrays.copyOfRange(args, 2, args.length), null);
            }
            return new Arguments(Streams.MAIN, args, null);
        }
    }

    /** The whole status document, as {@code /api/status} serves it; with {@code --stream ID}, that stream's part. */
    public String status(String... args) throws JsonProcessingException {
        Arguments arguments = Arguments.of(args);
        if (arguments.problem() != null) return arguments.problem();
        if (args.length == 0) {
            return json.writeValueAsString(status.snapshot());
        }
        Stream stream = hub.stream(arguments.stream());
        if (stream == null) return sources.unknownStream(arguments.stream());
        return json.writeValueAsString(hub.streamsStatus().get(stream.stream()));
    }

    /** Every stream: its source, state, config and listeners, a line each. */
    public String streams() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Stream> entry : hub.streams().entrySet()) {
            Stream stream = entry.getValue();
            out.append(entry.getKey()).append(": source ").append(stream.sourceId()).append(" (").append(stream.captureState())
                    .append("), ").append(stream.current().toJson()).append(", ").append(stream.listeners().size())
                    .append(" listeners");
            if (stream.pose() != null) out.append(", pose ").append(stream.pose());
            out.append('\n');
        }
        return out.toString().stripTrailing();
    }

    /**
     * Without arguments the current config; with {@code key=value} pairs a change (other keys
     * keep their value); {@code --stream ID} first for another stream than main.
     */
    public String config(String... args) {
        Arguments arguments = Arguments.of(args);
        if (arguments.problem() != null) return arguments.problem();
        Stream stream = hub.stream(arguments.stream());
        if (stream == null) return sources.unknownStream(arguments.stream());
        String[] settings = arguments.rest();
        if (settings.length == 0) {
            return stream.current().toJson();
        }
        StreamConfig checked = stream.current(); // each value checked as it comes, the first mistake reported
        Map<String, Integer> values = new LinkedHashMap<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                return "Expected key=value, got '" + setting + "'. Keys: " + String.join(", ", StreamConfig.KEYS);
            }
            String key = setting.substring(0, eq).trim();
            String value = setting.substring(eq + 1).trim();
            try {
                int number = Integer.parseInt(value);
                checked = checked.with(key, number);
                values.put(key, number);
            } catch (NumberFormatException e) {
                return key + " must be a whole number, got '" + value + "'";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        // the keys named only, so a change still waiting for the source keeps its other values
        ConfigChange change = stream.requestChange(values).toCompletableFuture().join();
        return change.applied() ? "Applied " + change.config().toJson()
                : "Refused: " + change.error() + ". Still running " + change.config().toJson();
    }

    /**
     * Without arguments the source capturing and its state (and the selected one when the stream
     * is still moving to it); with an id, switches to it and keeps that in the stream's
     * configuration; {@code --stream ID} first for another stream than main.
     */
    public String source(String... args) throws IOException {
        Arguments arguments = Arguments.of(args);
        if (arguments.problem() != null) return arguments.problem();
        String unknown = sources.unknownStream(arguments.stream());
        if (unknown != null) return unknown;
        String[] id = arguments.rest();
        Map<String, Object> source = sources.describe(arguments.stream());
        if (id.length == 0) {
            String state = source.get("id") + " (" + source.get("state") + ")";
            return source.get("id").equals(source.get("selected")) ? state : state + "; selected: " + source.get("selected");
        }
        String problem = sources.select(arguments.stream(), id.length > 1 ? String.join(" ", id) : id[0]);
        return problem != null ? problem : "Source set to '" + id[0] + "'";
    }
}
