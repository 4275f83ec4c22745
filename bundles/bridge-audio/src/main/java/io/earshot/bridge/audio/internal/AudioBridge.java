package io.earshot.bridge.audio.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;
import io.earshot.api.Streams;

/**
 * The audio WebSocket's side of the hub: a listener of every stream, with one
 * {@link AudioFanout} per stream (made when the stream's {@link StreamControl} comes, closed when
 * it goes). The hub gives it a slot, so a thread, per stream: a stream's buffers are encoded and
 * sent on that stream's thread, and a slow stream delays no other's clients. The client limits
 * hold for all streams together.
 */
@Component(configurationPid = AudioBridge.PID,
        service = {AudioBridge.class, AudioListener.class, StatusContributor.class},
        property = {AudioListener.NAME + "=audio-bridge", AudioListener.QUEUE + "=64", Streams.PROPERTY + "=" + Streams.ALL})
@Designate(ocd = AudioBridgeConfig.class)
public final class AudioBridge implements AudioListener, StatusContributor {

    static final String PID = "io.earshot.bridge.audio";
    private static final Logger LOG = LoggerFactory.getLogger(AudioBridge.class);

    private final Map<String, AudioFanout> fanouts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService disconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "earshot-audio-disconnect");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong nextId = new AtomicLong(1);
    private final int sendThreads;
    private volatile Limits limits;
    private volatile boolean active = true;

    record Limits(int maxClients, int maxInFlight, long closeAfterNanos, int clientsPerThread) {
        static Limits of(AudioBridgeConfig config) {
            return new Limits(clamp("maxClients", config.maxClients(), 1, 10_000, 1000),
                    clamp("maxInFlight", config.maxInFlight(), 1, 64, 4),
                    TimeUnit.SECONDS.toNanos(clamp("closeAfterSeconds", config.closeAfterSeconds(), 1, 3600, 10)),
                    clamp("clientsPerThread", config.clientsPerThread(), 1, 10_000, 64));
        }
    }

    @Activate
    public AudioBridge(AudioBridgeConfig config) {
        this.limits = Limits.of(config);
        this.sendThreads = clamp("sendThreads", config.sendThreads(), 1, 16, 4);
    }

    @Modified
    void modified(AudioBridgeConfig config) {
        limits = Limits.of(config);
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        for (AudioFanout fanout : fanouts.values()) {
            fanout.close(1001, "Earshot's audio bridge is stopping");
        }
        fanouts.clear();
        disconnects.shutdownNow();
    }

    /** A stream came: its clients may connect. */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
    synchronized void addStream(StreamControl stream) {
        if (active) {
            AudioFanout previous = fanouts.put(stream.stream(), new AudioFanout(this, stream, sendThreads, disconnects));
            if (previous != null) {
                previous.close(1001, "the stream '" + stream.stream() + "' was replaced");
            }
        }
    }

    synchronized void removeStream(StreamControl stream) {
        AudioFanout fanout = fanouts.get(stream.stream());
        if (fanout != null && fanout.control() == stream) {
            fanouts.remove(stream.stream());
            fanout.close(1001, "the stream '" + stream.stream() + "' was removed");
        }
    }

    static int clamp(String name, int value, int min, int max, int fallback) {
        if (value < min || value > max) {
            LOG.error("{}: {}={} is out of range {}..{}; using {}", PID, name, value, min, max, fallback);
            return fallback;
        }
        return value;
    }

    Limits limits() {
        return limits;
    }

    /** Why {@code stream} cannot be listened to, or null. */
    String unknownStream(String stream) {
        return fanouts.containsKey(stream) ? null
                : "no stream '" + stream + "'; streams: " + String.join(", ", new TreeMap<>(fanouts).keySet());
    }

    /**
     * Null when a new client may connect, else the reason it may not. Clients without the token
     * (programs on this machine, when reads are open) leave {@link #reservedForToken} places
     * free, so a flood of them cannot lock out the webapp.
     */
    String refusal(boolean withToken) {
        int max = limits.maxClients();
        int connected = 0;
        long withoutToken = 0;
        for (AudioFanout fanout : fanouts.values()) {
            connected += fanout.clientCount();
            withoutToken += fanout.clientsWithoutToken();
        }
        if (connected >= max) {
            return "too many audio clients (limit " + max + ")";
        }
        int open = max - reservedForToken(max);
        if (!withToken && withoutToken >= open) {
            return "too many audio clients without the access token (limit " + open + "; the other "
                    + (max - open) + " places are kept for clients with it)";
        }
        return null;
    }

    static int reservedForToken(int maxClients) {
        return Math.min(16, maxClients / 4);
    }

    /** A client of {@code stream}, or null when the stream is gone. */
    AudioClient newClient(String stream, boolean header, boolean withToken) {
        AudioFanout fanout = fanouts.get(stream);
        return fanout == null ? null : new AudioClient(fanout, header, withToken, nextId.getAndIncrement());
    }

    @Override
    public void onConfig(String stream, StreamConfig config) {
        AudioFanout fanout = fanouts.get(stream);
        if (fanout != null) {
            fanout.onConfig(config);
        }
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        AudioFanout fanout = fanouts.get(buffer.stream());
        if (fanout != null) {
            fanout.onBuffer(buffer);
        }
    }

    @Override
    public String statusKey() {
        return "audio_clients";
    }

    /** All streams' clients together, as before streams were plural; the main stream's send threads; each stream's counts. */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        int connected = 0;
        long joined = 0, closedTooSlow = 0;
        List<Map<String, Object>> each = new ArrayList<>();
        Map<String, Object> byStream = new LinkedHashMap<>();
        for (AudioFanout fanout : new TreeMap<>(fanouts).values()) {
            connected += fanout.clientCount();
            joined += fanout.joined();
            closedTooSlow += fanout.closedTooSlow();
            each.addAll(fanout.clientsStatus());
            byStream.put(fanout.stream(), Map.of("connected", fanout.clientCount(), "buffers_fanned_out", fanout.buffers(),
                    "send_threads", fanout.sendThreads()));
        }
        AudioFanout main = fanouts.get(Streams.MAIN);
        status.put("connected", connected);
        status.put("joined_total", joined);
        status.put("closed_too_slow", closedTooSlow);
        status.put("buffers_fanned_out", main == null ? 0 : main.buffers());
        Limits now = limits;
        status.put("limits", Map.of("max_clients", now.maxClients(), "max_in_flight", now.maxInFlight(),
                "close_after_s", TimeUnit.NANOSECONDS.toSeconds(now.closeAfterNanos()),
                "clients_per_thread", now.clientsPerThread()));
        status.put("send_threads", main == null ? List.of() : main.sendThreads());
        status.put("streams", byStream);
        status.put("clients", each);
        return status;
    }
}
