package io.earshot.hub.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioListener;
import io.earshot.api.AudioSource;
import io.earshot.api.ConfigChange;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;
import io.earshot.api.status.ListenerStatistics;
import io.earshot.api.status.ListenerStats;

/**
 * The hub: keeps the sources by id, runs the capture loop on the configured one, and gives
 * every {@link AudioListener} service (whiteboard) a slot of its own in the fan-out.
 */
@Component(configurationPid = HubImpl.PID, service = {StreamControl.class, ListenerStatistics.class, StatusContributor.class, HubImpl.class})
@Designate(ocd = HubConfig.class)
public final class HubImpl implements StreamControl, ListenerStatistics, StatusContributor {

    static final String PID = "io.earshot.hub";
    private static final Logger LOG = LoggerFactory.getLogger(HubImpl.class);
    private static final long RELEASE_WAIT_MILLIS = 3_000;

    private final Map<String, AudioSource> sources = new ConcurrentHashMap<>();
    private final Map<ServiceReference<AudioListener>, ListenerSlot> listeners = new ConcurrentHashMap<>();
    private final BundleContext context;
    private final CaptureLoop loop;
    /** The stream values of the configuration last seen, so an edit is told from a repeat. */
    private StreamConfig configured;

    @Activate
    public HubImpl(HubConfig config, BundleContext context) {
        this.context = context;
        configured = initialConfig(config);
        loop = new CaptureLoop(config.source(), configured, sources::get, config.minReopenIntervalMs());
        loop.start();
        LOG.info("Hub started: source '{}', {}", config.source(), loop.config());
    }

    /**
     * An edit of {@code io.earshot.hub} (a file in conf/, the Web Console): another source, or new
     * stream values, are applied at once; the minimum reopen interval from the next change on.
     * Values changed at run time (/ws/config) stay until the file's values themselves change.
     */
    @Modified
    synchronized void modified(HubConfig config) {
        loop.minReopenInterval(config.minReopenIntervalMs());
        StreamConfig wanted = initialConfig(config);
        boolean newValues = !wanted.equals(configured);
        configured = wanted;
        if (!config.source().equals(loop.sourceId()) || newValues) {
            LOG.info("Configuration {} changed: source '{}'{}", PID, config.source(), newValues ? ", " + wanted : "");
            loop.switchTo(config.source(), newValues ? wanted : null);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        loop.stop();
        listeners.clear();
    }

    private static StreamConfig initialConfig(HubConfig config) {
        try {
            return new StreamConfig(config.rate(), config.channels(), config.buffer__frames(), config.volume());
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} is invalid ({}); starting with the defaults {}", PID, e.getMessage(),
                    StreamConfig.DEFAULT);
            return StreamConfig.DEFAULT;
        }
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
    void addSource(AudioSource source) {
        AudioSource previous = sources.put(source.id(), source);
        if (previous != null) {
            LOG.warn("Two sources share the id '{}'; using the newer one ({})", source.id(), source.label());
        }
        loop.sourcesChanged(source);
    }

    void removeSource(AudioSource source) {
        if (!sources.remove(source.id(), source)) {
            return;
        }
        loop.sourcesChanged(source);
        // the source's bundle may be stopping: do not return while the capture thread still reads it
        try {
            if (!loop.awaitRelease(source, RELEASE_WAIT_MILLIS)) {
                LOG.warn("Source {} went, but the capture thread still reads it after {} ms", source.id(), RELEASE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Bound by reference, not by object: the listener is fetched on its slot's thread. A listener
     * that needs {@link StreamControl} (the audio bridge, plugins) may be what is creating the
     * hub right now; fetching it here, inside the hub's creation, would be a cycle that SCR
     * resolves by leaving that listener out for good.
     */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, service = AudioListener.class)
    void addListener(ServiceReference<AudioListener> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        Bundle bundle = reference.getBundle();
        ListenerSlot slot = new ListenerSlot(listenerName(properties), bundle == null ? -1 : bundle.getBundleId(),
                () -> context.getService(reference),
                () -> ungetQuietly(reference), queueSize(properties));
        listeners.put(reference, slot);
        slot.start();
        loop.add(slot);
    }

    private void ungetQuietly(ServiceReference<AudioListener> reference) {
        try {
            context.ungetService(reference);
        } catch (IllegalStateException e) {
            // the hub's bundle is stopping: the framework releases everything itself
        }
    }

    void removeListener(ServiceReference<AudioListener> reference) {
        ListenerSlot slot = listeners.remove(reference);
        if (slot != null) {
            loop.remove(slot);
            slot.close();
        }
    }

    private static String listenerName(Map<String, Object> properties) {
        Object name = properties.get(AudioListener.NAME);
        if (name == null) name = properties.get("component.name");
        if (name == null) name = "listener#" + properties.get(Constants.SERVICE_ID);
        return name.toString();
    }

    static int queueSize(Map<String, Object> properties) {
        Object value = properties.get(AudioListener.QUEUE);
        if (value == null) {
            return ListenerSlot.DEFAULT_QUEUE;
        }
        try {
            int size = Integer.parseInt(value.toString().trim());
            if (size >= 1 && size <= ListenerSlot.MAX_QUEUE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // fall through to the warning
        }
        LOG.warn("{}={} is not a whole number in 1..{}; using {}", AudioListener.QUEUE, value,
                ListenerSlot.MAX_QUEUE, ListenerSlot.DEFAULT_QUEUE);
        return ListenerSlot.DEFAULT_QUEUE;
    }

    @Override
    public StreamConfig current() {
        return loop.config();
    }

    @Override
    public SourceCapabilities capabilities() {
        AudioSource source = loop.activeSource();
        if (source == null) source = sources.get(loop.sourceId());
        if (source == null) {
            StreamConfig c = loop.config();
            return new SourceCapabilities(List.of(c.rate()), List.of(c.channels()), c.bufferFrames(), c.bufferFrames());
        }
        return source.capabilities();
    }

    /** The source capturing now; while the stream moves to another (or none is open), the selected one. */
    @Override
    public String sourceId() {
        AudioSource active = loop.activeSource();
        return active != null ? active.id() : loop.sourceId();
    }

    /** The source the configuration names. */
    String selectedSourceId() {
        return loop.sourceId();
    }

    @Override
    public ConfigChange change(StreamConfig wanted) {
        return loop.change(wanted);
    }

    @Override
    public CompletionStage<ConfigChange> requestChange(Map<String, Integer> values) {
        return loop.request(values);
    }

    @Override
    public List<ListenerStats> listeners() {
        List<ListenerStats> stats = new ArrayList<>();
        for (ListenerSlot slot : loop.slots()) {
            stats.add(slot.stats());
        }
        return stats;
    }

    /** The state of the capture thread, said for a person (the status' {@code stream.capture.state}). */
    String captureState() {
        return String.valueOf(loop.status().get("state"));
    }

    /** Ids of the sources that can be selected now. */
    List<String> availableSources() {
        return new ArrayList<>(new TreeMap<>(sources).keySet());
    }

    @Override
    public String statusKey() {
        return "stream";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> source = new LinkedHashMap<>();
        // the source capturing now; while the stream moves to another one, "selected" names it
        AudioSource active = loop.activeSource();
        source.put("id", active != null ? active.id() : selectedSourceId());
        source.put("selected", selectedSourceId());
        if (active != null) {
            source.put("label", active.label());
            try {
                source.putAll(active.status());
            } catch (RuntimeException e) {
                source.put("status_error", e.toString());
            }
        }
        source.put("available", availableSources());
        status.put("source", source);
        status.put("config", configMap(loop.config()));
        SourceCapabilities caps = capabilities();
        status.put("capabilities", Map.of("possible_rates", caps.rates(), "possible_channel", caps.channels(),
                "buffer_frames", List.of(caps.minBufferFrames(), caps.maxBufferFrames())));
        status.put("capture", loop.status());
        status.put("changes", loop.changesStatus());
        List<Map<String, Object>> slots = new ArrayList<>();
        for (ListenerStats stats : listeners()) {
            slots.add(ListenerSlot.status(stats));
        }
        status.put("listeners", slots);
        return status;
    }

    static Map<String, Object> configMap(StreamConfig config) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("buffer_frames", config.bufferFrames());
        map.put("rate", config.rate());
        map.put("channels", config.channels());
        map.put("volume", config.volume());
        return map;
    }
}
