package io.earshot.hub.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.osgi.framework.ServiceReference;

import io.earshot.api.ArrayPose;
import io.earshot.api.AudioListener;
import io.earshot.api.AudioSource;
import io.earshot.api.ConfigChange;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceSettings;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;
import io.earshot.api.status.ListenerStats;

/**
 * One stream: a source, its capture loop (a thread of its own) and the slots of its listeners.
 * Streams share nothing but the table of sources, so one that stalls or fails delays no other.
 */
final class Stream implements StreamControl {

    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile("(?i)token|password|secret|key");

    private final String id;
    private final Function<String, AudioSource> sources;
    private final CaptureLoop loop;
    private final Map<ServiceReference<AudioListener>, ListenerSlot> listeners = new ConcurrentHashMap<>();
    /** The pose its configuration gives, or null: then the source's, if it knows one. */
    private volatile ArrayPose configuredPose;
    /** Why the configured pose was not taken, or null. */
    private volatile String poseProblem;

    Stream(SourceSettings settings, String sourceId, StreamConfig initial, String pose, Function<String, AudioSource> sources,
           long minReopenIntervalMillis) {
        this.id = settings.stream();
        this.sources = sources;
        this.loop = new CaptureLoop(settings, sourceId, initial, sources, minReopenIntervalMillis);
        pose(pose);
    }

    void start() {
        loop.start();
    }

    void stop() throws InterruptedException {
        loop.stop();
        listeners.clear();
    }

    CaptureLoop loop() {
        return loop;
    }

    /** Takes the {@code pose} setting ("x,y,heading"; blank for none); a bad one is reported in the status and left out. */
    void pose(String text) {
        if (text == null || text.isBlank()) {
            configuredPose = null;
            poseProblem = null;
            return;
        }
        try {
            configuredPose = ArrayPose.parse(text);
            poseProblem = null;
        } catch (IllegalArgumentException e) {
            configuredPose = null;
            poseProblem = e.getMessage();
        }
    }

    String poseProblem() {
        return poseProblem;
    }

    void addListener(ServiceReference<AudioListener> reference, ListenerSlot slot) {
        ListenerSlot previous = listeners.put(reference, slot);
        if (previous != null) {
            loop.remove(previous);
            previous.close();
        }
        slot.start();
        loop.add(slot);
    }

    void removeListener(ServiceReference<AudioListener> reference) {
        ListenerSlot slot = listeners.remove(reference);
        if (slot != null) {
            loop.remove(slot);
            slot.close();
        }
    }

    @Override
    public String stream() {
        return id;
    }

    @Override
    public ArrayPose pose() {
        ArrayPose pose = configuredPose;
        if (pose != null) {
            return pose;
        }
        AudioSource source = loop.activeSource();
        if (source == null) source = sources.apply(loop.sourceId());
        try {
            return source == null ? null : source.pose(loop.settings());
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public StreamConfig current() {
        return loop.config();
    }

    @Override
    public SourceCapabilities capabilities() {
        AudioSource source = loop.activeSource();
        if (source == null) source = sources.apply(loop.sourceId());
        if (source == null) {
            StreamConfig c = loop.config();
            return new SourceCapabilities(List.of(c.rate()), List.of(c.channels()), c.bufferFrames(), c.bufferFrames());
        }
        return source.capabilities(loop.settings());
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

    List<ListenerStats> listeners() {
        List<ListenerStats> stats = new ArrayList<>();
        for (ListenerSlot slot : loop.slots()) {
            stats.add(slot.stats());
        }
        return stats;
    }

    /** The state of the capture thread, said for a person ({@code capture.state}). */
    String captureState() {
        return String.valueOf(loop.status().get("state"));
    }

    /**
     * What {@code /api/status} says of this stream: its source (with the source's and the open
     * capture's own facts), config, capabilities, capture, changes, pose and listeners.
     */
    Map<String, Object> status(Map<String, AudioSource> available) {
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> source = new LinkedHashMap<>();
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
            source.putAll(loop.captureStatus());
        }
        if (!loop.settings().values().isEmpty()) {
            Map<String, Object> settings = new TreeMap<>();
            for (Map.Entry<String, String> setting : loop.settings().values().entrySet()) {
                // the status is read without the token on loopback: a secret is said to be set, not shown
                settings.put(setting.getKey(), SECRET.matcher(setting.getKey()).find() ? "(set)" : setting.getValue());
            }
            source.put("settings", settings);
        }
        source.put("available", new ArrayList<>(new TreeMap<>(available).keySet()));
        status.put("source", source);
        status.put("config", HubImpl.configMap(loop.config()));
        SourceCapabilities caps = capabilities();
        status.put("capabilities", Map.of("possible_rates", caps.rates(), "possible_channel", caps.channels(),
                "buffer_frames", List.of(caps.minBufferFrames(), caps.maxBufferFrames())));
        status.put("capture", loop.status());
        status.put("changes", loop.changesStatus());
        ArrayPose pose = pose();
        if (pose != null || poseProblem != null) {
            Map<String, Object> where = new LinkedHashMap<>();
            if (pose != null) {
                where.put("x", pose.x());
                where.put("y", pose.y());
                where.put("heading_deg", pose.headingDegrees());
                where.put("from", configuredPose != null ? "configuration" : "source");
            }
            if (poseProblem != null) where.put("problem", poseProblem);
            status.put("pose", where);
        }
        List<Map<String, Object>> slots = new ArrayList<>();
        for (ListenerStats stats : listeners()) {
            slots.add(ListenerSlot.status(stats));
        }
        status.put("listeners", slots);
        return status;
    }
}
