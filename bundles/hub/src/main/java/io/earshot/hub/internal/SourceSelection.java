package io.earshot.hub.internal;

import java.io.IOException;
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

/**
 * Which source the hub captures, asked of the hub and switched through the hub's
 * configuration (kept in ConfigAdmin's store until a file in conf/ says otherwise): for
 * {@code earshot:source} and {@code /api/source}.
 */
@Component(service = SourceSelection.class)
public final class SourceSelection {

    private final HubImpl hub;
    private final ConfigurationAdmin configAdmin;

    @Activate
    public SourceSelection(@Reference HubImpl hub, @Reference ConfigurationAdmin configAdmin) {
        this.hub = hub;
        this.configAdmin = configAdmin;
    }

    /** The source capturing ({@code id}), the one configured ({@code selected}), its state and the ids available. */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", hub.sourceId());
        out.put("selected", hub.selectedSourceId());
        out.put("state", hub.captureState());
        out.put("available", hub.availableSources());
        return out;
    }

    /** Switches to {@code id}; why not, or null when done. */
    String select(String id) throws IOException {
        List<String> available = hub.availableSources();
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
