package io.earshot.hub.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which source the hub captures, read from the status and switched through the hub's
 * configuration (kept in ConfigAdmin's store until a file in conf/ says otherwise): for
 * {@code earshot:source} and {@code /api/source}.
 */
@Component(service = SourceSelection.class)
public final class SourceSelection {

    private final StatusDocument status;
    private final ConfigurationAdmin configAdmin;
    private final ObjectMapper json = new ObjectMapper();

    @Activate
    public SourceSelection(@Reference StatusDocument status, @Reference ConfigurationAdmin configAdmin) {
        this.status = status;
        this.configAdmin = configAdmin;
    }

    /** The source capturing ({@code id}), the one configured ({@code selected}), its state and the ids available. */
    Map<String, Object> describe() {
        JsonNode stream = json.valueToTree(status.snapshot()).path("stream");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", stream.at("/source/id").asText());
        out.put("selected", stream.at("/source/selected").asText());
        out.put("state", stream.at("/capture/state").asText());
        List<String> available = new ArrayList<>();
        stream.at("/source/available").forEach(s -> available.add(s.asText()));
        out.put("available", available);
        return out;
    }

    /** Switches to {@code id}; why not, or null when done. */
    String select(String id) throws IOException {
        @SuppressWarnings("unchecked")
        List<String> available = (List<String>) describe().get("available");
        if (id == null || !available.contains(id)) {
            // a typo must not stop the stream; a source still to be installed can be named in conf/
            return "No source '" + id + "'. Available: " + String.join(", ", available)
                    + ". (To wait for a source not installed yet, name it in conf/" + HubImpl.PID + ".cfg.)";
        }
        Configuration config = configAdmin.getConfiguration(HubImpl.PID, "?");
        Dictionary<String, Object> properties = config.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        properties.put("source", id);
        config.update(properties);
        return null;
    }
}
