package io.earshot.hub.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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
    private final ConfigurationAdmin configAdmin;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Activate
    public HubCommands(@Reference HubImpl hub, @Reference StatusDocument status,
                       @Reference ConfigurationAdmin configAdmin) {
        this.hub = hub;
        this.status = status;
        this.configAdmin = configAdmin;
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
        if (id.length == 0) {
            String capturing = hub.sourceId();
            String selected = hub.selectedSourceId();
            String state = capturing + " (" + hub.captureState() + ")";
            return capturing.equals(selected) ? state : state + "; selected: " + selected;
        }
        List<String> available = hub.availableSources();
        if (id.length > 1 || !available.contains(id[0])) {
            // a typo must not stop the stream; a source still to be installed can be named in conf/
            return "No source '" + String.join(" ", id) + "'. Available: " + String.join(", ", available)
                    + ". (To wait for a source not installed yet, name it in conf/" + HubImpl.PID + ".cfg.)";
        }
        Configuration config = configAdmin.getConfiguration(HubImpl.PID, "?");
        Dictionary<String, Object> properties = config.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        properties.put("source", id[0]);
        config.update(properties);
        return "Source set to '" + id[0] + "'";
    }
}
