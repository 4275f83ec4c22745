package io.earshot.hub.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.ArrayPose;
import io.earshot.api.AudioListener;
import io.earshot.api.AudioSource;
import io.earshot.api.ConfigChange;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceSettings;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;
import io.earshot.api.Streams;
import io.earshot.api.status.ListenerStatistics;
import io.earshot.api.status.ListenerStats;

/**
 * The hub: keeps the sources by id and runs the streams. The main stream is configured by
 * {@code io.earshot.hub} and is the {@link StreamControl} this component provides; every other
 * stream comes from a {@link StreamDefinition} and gets a {@link StreamControl} registration of
 * its own, with {@link Streams#PROPERTY}. Every {@link AudioListener} service (whiteboard) gets a
 * slot in each stream its {@link Streams#PROPERTY} names: absent, the main stream; {@code *},
 * all; a stream defined later picks up the listeners waiting for it.
 */
@Component(configurationPid = HubImpl.PID, immediate = true,
        service = {StreamControl.class, ListenerStatistics.class, StatusContributor.class, HubImpl.class},
        // the main stream's control ranks highest: a reference without a target gets it, as before streams were plural
        property = {Streams.PROPERTY + "=" + Streams.MAIN, Constants.SERVICE_RANKING + ":Integer=100"})
@Designate(ocd = HubConfig.class)
public final class HubImpl implements StreamControl, ListenerStatistics, StatusContributor {

    static final String PID = "io.earshot.hub";
    /** Streams at once, main included: each is a capture thread and a slot per listener. */
    static final int MAX_STREAMS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(HubImpl.class);
    private static final long RELEASE_WAIT_MILLIS = 3_000;

    private final Map<String, AudioSource> sources = new ConcurrentHashMap<>();
    private final BundleContext context;
    private final Stream main;
    /** The streams beside main, by id; guarded by this for changes. */
    private final Map<String, Stream> others = new ConcurrentHashMap<>();
    private final Map<String, ServiceRegistration<StreamControl>> registrations = new HashMap<>();
    /** Every stream configuration, started or refused, for the status. */
    private final List<StreamDefinition> definitions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Which definition made each stream beside main; guarded by this. */
    private final Map<String, Object> owners = new HashMap<>();
    /** Every listener bound, for the streams defined after it; guarded by this. */
    private final Set<ServiceReference<AudioListener>> listenerReferences = new LinkedHashSet<>();
    /** The stream values of the configuration last seen, so an edit is told from a repeat. */
    private StreamConfig configured;

    @Activate
    public HubImpl(HubConfig config, BundleContext context) {
        this.context = context;
        configured = initialConfig(PID, config.rate(), config.channels(), config.buffer__frames(), config.volume());
        main = new Stream(SourceSettings.MAIN, config.source(), configured, config.pose(), sources::get, config.minReopenIntervalMs());
        main.start();
        LOG.info("Hub started: source '{}', {}", config.source(), main.current());
    }

    /**
     * An edit of {@code io.earshot.hub} (a file in conf/, the Web Console): another source, or new
     * stream values, are applied at once; the minimum reopen interval from the next change on.
     * Values changed at run time (/ws/config) stay until the file's values themselves change.
     */
    @Modified
    synchronized void modified(HubConfig config) {
        CaptureLoop loop = main.loop();
        loop.minReopenInterval(config.minReopenIntervalMs());
        main.pose(config.pose());
        StreamConfig wanted = initialConfig(PID, config.rate(), config.channels(), config.buffer__frames(), config.volume());
        boolean newValues = !wanted.equals(configured);
        configured = wanted;
        if (!config.source().equals(loop.sourceId()) || newValues) {
            LOG.info("Configuration {} changed: source '{}'{}", PID, config.source(), newValues ? ", " + wanted : "");
            loop.switchTo(config.source(), newValues ? wanted : null);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        List<Stream> stopping;
        synchronized (this) {
            registrations.values().forEach(HubImpl::unregisterQuietly);
            registrations.clear();
            stopping = new ArrayList<>(others.values());
            others.clear();
            owners.clear();
            listenerReferences.clear();
        }
        for (Stream stream : stopping) {
            stream.stop();
        }
        main.stop();
    }

    static StreamConfig initialConfig(String pid, int rate, int channels, int bufferFrames, int volume) {
        try {
            return new StreamConfig(rate, channels, bufferFrames, volume);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} is invalid ({}); starting with the defaults {}", pid, e.getMessage(),
                    StreamConfig.DEFAULT);
            return StreamConfig.DEFAULT;
        }
    }

    /**
     * Starts the stream {@code id} (or moves a running one to these values); why not, or null. A
     * stream keeps its sequence numbers and listeners across such a move.
     */
    String define(Object owner, String id, String sourceId, StreamConfig config, String pose, SourceSettings settings, long minReopenMillis) {
        if (!Streams.isValidId(id)) {
            return "'" + id + "' is not a stream id (" + Streams.ID_RULE + ")";
        }
        if (Streams.MAIN.equals(id)) {
            return "the main stream is configured by " + PID + ", not by a stream configuration";
        }
        Stream stream;
        synchronized (this) {
            Stream running = others.get(id);
            if (running != null && owners.get(id) != owner) {
                return "the stream '" + id + "' is defined by another configuration already";
            }
            if (running != null) {
                running.loop().minReopenInterval(minReopenMillis);
                running.pose(pose);
                running.loop().switchTo(sourceId, config, settings);
                LOG.info("Stream {} changed: source '{}', {}", id, sourceId, config);
                return null;
            }
            if (others.size() + 1 >= MAX_STREAMS) {
                return "the runtime runs " + MAX_STREAMS + " streams already (main included), the most it runs";
            }
            stream = new Stream(settings, sourceId, config, pose, sources::get, minReopenMillis);
            others.put(id, stream);
            owners.put(id, owner);
            stream.start();
            for (ServiceReference<AudioListener> reference : listenerReferences) {
                if (streamsOf(reference).accepts(id)) {
                    stream.addListener(reference, slot(reference, id));
                }
            }
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Streams.PROPERTY, id);
        ServiceRegistration<StreamControl> registration = context.registerService(StreamControl.class, stream, properties);
        synchronized (this) {
            if (others.get(id) == stream) {
                registrations.put(id, registration);
            } else {
                unregisterQuietly(registration); // removed meanwhile
            }
        }
        LOG.info("Stream {} started: source '{}', {}", id, sourceId, config);
        return null;
    }

    /** Stops the stream {@code id} that {@code owner} defined and lets its listeners go; whether it ran. */
    boolean remove(String id, Object owner) throws InterruptedException {
        Stream stream;
        ServiceRegistration<StreamControl> registration;
        synchronized (this) {
            if (owners.get(id) != owner) {
                return false;
            }
            owners.remove(id);
            stream = others.remove(id);
            registration = registrations.remove(id);
        }
        if (registration != null) {
            unregisterQuietly(registration);
        }
        if (stream == null) {
            return false;
        }
        stream.stop();
        LOG.info("Stream {} removed", id);
        return true;
    }

    private static void unregisterQuietly(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // gone already: the bundle is stopping
        }
    }

    List<StreamDefinition> definitions() {
        return definitions;
    }

    /** The main stream first, then the others by id. */
    Map<String, Stream> streams() {
        Map<String, Stream> all = new LinkedHashMap<>();
        all.put(Streams.MAIN, main);
        all.putAll(new TreeMap<>(others));
        return all;
    }

    /** The stream {@code id}, or null. */
    Stream stream(String id) {
        return id == null || Streams.MAIN.equals(id) ? main : others.get(id);
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
    void addSource(AudioSource source) {
        AudioSource previous = sources.put(source.id(), source);
        if (previous != null) {
            LOG.warn("Two sources share the id '{}'; using the newer one ({})", source.id(), source.label());
        }
        for (Stream stream : streams().values()) {
            stream.loop().sourcesChanged(source);
        }
    }

    void removeSource(AudioSource source) {
        if (!sources.remove(source.id(), source)) {
            return;
        }
        Collection<Stream> all = streams().values();
        for (Stream stream : all) {
            stream.loop().sourcesChanged(source);
        }
        // the source's bundle may be stopping: do not return while a capture thread still reads it
        try {
            for (Stream stream : all) {
                if (!stream.loop().awaitRelease(source, RELEASE_WAIT_MILLIS)) {
                    LOG.warn("Source {} went, but the capture thread of stream {} still reads it after {} ms", source.id(),
                            stream.stream(), RELEASE_WAIT_MILLIS);
                }
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
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, service = AudioListener.class, updated = "updatedListener")
    synchronized void addListener(ServiceReference<AudioListener> reference) {
        listenerReferences.add(reference);
        StreamIds wanted = streamsOf(reference);
        for (Map.Entry<String, Stream> stream : streams().entrySet()) {
            if (wanted.accepts(stream.getKey())) {
                stream.getValue().addListener(reference, slot(reference, stream.getKey()));
            }
        }
    }

    /** Its properties changed: it may name other streams now. */
    synchronized void updatedListener(ServiceReference<AudioListener> reference) {
        removeListener(reference);
        addListener(reference);
    }

    synchronized void removeListener(ServiceReference<AudioListener> reference) {
        listenerReferences.remove(reference);
        for (Stream stream : streams().values()) {
            stream.removeListener(reference);
        }
    }

    private ListenerSlot slot(ServiceReference<AudioListener> reference, String stream) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        Bundle bundle = reference.getBundle();
        return new ListenerSlot(listenerName(properties), stream, bundle == null ? -1 : bundle.getBundleId(),
                () -> context.getService(reference), () -> ungetQuietly(reference), queueSize(properties));
    }

    /** The streams a listener's {@link Streams#PROPERTY} names: absent, main; {@code *}, every one. */
    static StreamIds streamsOf(ServiceReference<?> reference) {
        return StreamIds.of(reference.getProperty(Streams.PROPERTY));
    }

    /** The value of a listener's {@link Streams#PROPERTY}: a string (ids separated by commas), or an array or list of them. */
    record StreamIds(Set<String> ids) {
        static StreamIds of(Object property) {
            Set<String> ids = new LinkedHashSet<>();
            if (property == null) {
                ids.add(Streams.MAIN);
            } else if (property instanceof String[] array) {
                for (String each : array) split(each, ids);
            } else if (property instanceof Collection<?> list) {
                for (Object each : list) split(String.valueOf(each), ids);
            } else {
                split(property.toString(), ids);
            }
            return new StreamIds(ids);
        }

        private static void split(String value, Set<String> into) {
            for (String id : value.split(",")) {
                if (!id.isBlank()) into.add(id.trim());
            }
        }

        boolean accepts(String stream) {
            return ids.contains(Streams.ALL) || ids.contains(stream);
        }
    }

    private void ungetQuietly(ServiceReference<AudioListener> reference) {
        try {
            context.ungetService(reference);
        } catch (IllegalStateException e) {
            // the hub's bundle is stopping: the framework releases everything itself
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
    public String stream() {
        return Streams.MAIN;
    }

    @Override
    public ArrayPose pose() {
        return main.pose();
    }

    @Override
    public StreamConfig current() {
        return main.current();
    }

    @Override
    public SourceCapabilities capabilities() {
        return main.capabilities();
    }

    /** The source capturing now; while the stream moves to another (or none is open), the selected one. */
    @Override
    public String sourceId() {
        return main.sourceId();
    }

    /** The source the configuration names. */
    String selectedSourceId() {
        return main.selectedSourceId();
    }

    @Override
    public ConfigChange change(StreamConfig wanted) {
        return main.change(wanted);
    }

    @Override
    public CompletionStage<ConfigChange> requestChange(Map<String, Integer> values) {
        return main.requestChange(values);
    }

    /** The listeners of every stream, main's first. */
    @Override
    public List<ListenerStats> listeners() {
        List<ListenerStats> stats = new ArrayList<>();
        for (Stream stream : streams().values()) {
            stats.addAll(stream.listeners());
        }
        return stats;
    }

    /** The state of the main stream's capture thread, said for a person (the status' {@code stream.capture.state}). */
    String captureState() {
        return main.captureState();
    }

    /** Ids of the sources that can be selected now. */
    List<String> availableSources() {
        return new ArrayList<>(new TreeMap<>(sources).keySet());
    }

    @Override
    public String statusKey() {
        return "stream";
    }

    /** The main stream, as {@code stream} always said; every stream is under {@code streams} ({@link StreamsStatus}). */
    @Override
    public Map<String, Object> status() {
        return main.status(sources);
    }

    /** Every stream's status by id, main first. */
    Map<String, Object> streamsStatus() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Map.Entry<String, Stream> stream : streams().entrySet()) {
            all.put(stream.getKey(), stream.getValue().status(sources));
        }
        return all;
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
