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

/** Gogo commands of the hub: {@code earshot:status}, {@code earshot:config}, {@code earshot:source}. */
@Component(service = HubCommands.class)
@GogoCommand(scope = "earshot", function = {"status", "config", "source"})
public final class HubCommands {

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

    /** The whole status document, as {@code /api/status} serves it. */
    public String status() throws JsonProcessingException {
        return json.writeValueAsString(status.snapshot());
    }

    /** Without arguments the current config; with {@code key=value} pairs a change (other keys keep their value). */
    public String config(String... settings) {
        if (settings.length == 0) {
            return hub.current().toJson();
        }
        StreamConfig checked = hub.current(); // each value checked as it comes, the first mistake reported
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
        ConfigChange change = hub.requestChange(values).toCompletableFuture().join();
        return change.applied() ? "Applied " + change.config().toJson()
                : "Refused: " + change.error() + ". Still running " + change.config().toJson();
    }

    /**
     * Without arguments the source capturing and its state (and the selected one when the stream
     * is still moving to it); with an id, switches to it and keeps that in the hub's configuration.
     */
    public String source(String... id) throws IOException {
        Map<String, Object> source = sources.describe();
        if (id.length == 0) {
            String state = source.get("id") + " (" + source.get("state") + ")";
            return source.get("id").equals(source.get("selected")) ? state : state + "; selected: " + source.get("selected");
        }
        String problem = sources.select(id.length > 1 ? String.join(" ", id) : id[0]);
        return problem != null ? problem : "Source set to '" + id[0] + "'";
    }
}
