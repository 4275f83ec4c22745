package io.earshot.hub.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.Streams;

/**
 * Which source a stream captures, asked of the hub and switched through the stream's
 * configuration ({@code io.earshot.hub} for main, its {@code io.earshot.stream~ID} for another;
 * kept in ConfigAdmin's store until a file in conf/ says otherwise): for {@code earshot:source}
 * and {@code /api/source}.
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

    /** Why {@code stream} cannot be asked for, or null. */
    String unknownStream(String stream) {
        return hub.stream(stream) != null ? null
                : "No stream '" + stream + "'. Streams: " + String.join(", ", hub.streams().keySet());
    }

    /** The source a stream captures ({@code id}), the one configured ({@code selected}), its state and the ids available. */
    Map<String, Object> describe(String streamId) {
        Stream stream = hub.stream(streamId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream", stream.stream());
        out.put("id", stream.sourceId());
        out.put("selected", stream.selectedSourceId());
        out.put("state", stream.captureState());
        out.put("available", hub.availableSources());
        return out;
    }

    /** The main stream's: {@link #describe(String)}. */
    Map<String, Object> describe() {
        return describe(Streams.MAIN);
    }

    /** Switches the stream to {@code id}; why not, or null when done. */
    String select(String stream, String id) throws IOException {
        String unknown = unknownStream(stream);
        if (unknown != null) {
            return unknown;
        }
        List<String> available = hub.availableSources();
        if (id == null || !available.contains(id)) {
            // a typo must not stop the stream; a source still to be installed can be named in conf/
            return "No source '" + id + "'. Available: " + String.join(", ", available)
                    + ". (To wait for a source not installed yet, name it in conf/" + HubImpl.PID + ".cfg.)";
        }
        Configuration config = configurationOf(stream);
        if (config == null) {
            return "The stream '" + stream + "' has no configuration to keep the source in";
        }
        Dictionary<String, Object> properties = config.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        properties.put("source", id);
        config.update(properties);
        return null;
    }

    String select(String id) throws IOException {
        return select(Streams.MAIN, id);
    }

    private Configuration configurationOf(String stream) throws IOException {
        if (stream == null || Streams.MAIN.equals(stream)) {
            return configAdmin.getConfiguration(HubImpl.PID, "?");
        }
        try {
            Configuration[] all = configAdmin.listConfigurations(
                    "(" + org.osgi.framework.Constants.SERVICE_PID + "=" + StreamDefinition.FACTORY_PID + "~*)");
            for (Configuration each : all == null ? new Configuration[0] : all) {
                Dictionary<String, Object> properties = each.getProperties();
                Map<String, Object> values = new java.util.HashMap<>();
                if (properties != null) {
                    for (String key : java.util.Collections.list(properties.keys())) {
                        values.put(key, properties.get(key));
                    }
                }
                // the id as the hub gives it: io.earshot.stream~array~2 (FileInstall's reading of
                // io.earshot.stream~array-2.cfg) is array-2
                if (stream.equals(StreamDefinition.idOf(each.getPid(), values))) {
                    return each;
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }
}
