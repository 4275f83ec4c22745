package io.earshot.bridge.audio.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
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
import io.earshot.api.SourceCapabilities;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;

/**
 * Fans the stream out to every audio WebSocket client. It is an ordinary {@link AudioListener},
 * so it runs on a thread of its own, never the capture thread; per buffer it encodes the wire
 * bytes once (once more for header-mode clients) and offers that shared payload to each client.
 */
@Component(configurationPid = AudioFanout.PID,
        service = {AudioFanout.class, AudioListener.class, StatusContributor.class},
        property = {AudioListener.NAME + "=audio-bridge", AudioListener.QUEUE + "=64"})
@Designate(ocd = AudioBridgeConfig.class)
public final class AudioFanout implements AudioListener, StatusContributor {

    static final String PID = "io.earshot.bridge.audio";
    private static final Logger LOG = LoggerFactory.getLogger(AudioFanout.class);
    private static final long DISCONNECT_GRACE_SECONDS = 5;
    private static final int FREE_PAYLOADS = 16;

    private final StreamControl stream;
    private final List<AudioClient> clients = new CopyOnWriteArrayList<>();
    private final Payload.Pool plain = new Payload.Pool(FREE_PAYLOADS);
    private final Payload.Pool headed = new Payload.Pool(FREE_PAYLOADS);
    private final ScheduledExecutorService disconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "earshot-audio-disconnect");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong joined = new AtomicLong();
    private final AtomicLong closedTooSlow = new AtomicLong();
    private final AtomicLong buffers = new AtomicLong();
    private volatile Limits limits;
    /** The config of the buffers being sent; guarded by this for joins. */
    private StreamConfig announced;

    record Limits(int maxClients, int maxInFlight, long closeAfterNanos) {
        static Limits of(AudioBridgeConfig config) {
            return new Limits(clamp("maxClients", config.maxClients(), 1, 10_000, 1000),
                    clamp("maxInFlight", config.maxInFlight(), 1, 64, 4),
                    TimeUnit.SECONDS.toNanos(clamp("closeAfterSeconds", config.closeAfterSeconds(), 1, 3600, 10)));
        }
    }

    @Activate
    public AudioFanout(@Reference StreamControl stream, AudioBridgeConfig config) {
        this.stream = stream;
        this.limits = Limits.of(config);
    }

    @Modified
    void modified(AudioBridgeConfig config) {
        limits = Limits.of(config);
    }

    @Deactivate
    void deactivate() {
        for (AudioClient client : clients) {
            client.close(1001, "Earshot's audio bridge is stopping");
        }
        clients.clear();
        disconnects.shutdownNow();
    }

    static int clamp(String name, int value, int min, int max, int fallback) {
        if (value < min || value > max) {
            LOG.error("{}: {}={} is out of range {}..{}; using {}", PID, name, value, min, max, fallback);
            return fallback;
        }
        return value;
    }

    /** Null when a new client may connect, else the reason it may not. */
    String refusal() {
        int max = limits.maxClients();
        return clients.size() >= max ? "too many audio clients (limit " + max + ")" : null;
    }

    AudioClient newClient(boolean header) {
        return new AudioClient(this, header, nextId.getAndIncrement());
    }

    /** A client is open: it gets the config, the possible values, then the buffers of that config. */
    synchronized void join(AudioClient client) {
        StreamConfig config = announced != null ? announced : stream.current();
        client.sendText(config.toJson());
        client.sendText(possibleValuesJson(stream.capabilities()));
        clients.add(client);
        joined.incrementAndGet();
    }

    void leave(AudioClient client) {
        clients.remove(client);
    }

    void closedTooSlow(AudioClient client) {
        closedTooSlow.incrementAndGet();
        clients.remove(client);
        LOG.info("Closed audio client {} for being too slow", client.status().get("remote"));
    }

    void scheduleDisconnect(Session session) {
        try {
            disconnects.schedule(() -> {
                if (session.isOpen()) session.disconnect();
            }, DISCONNECT_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            session.disconnect(); // stopping anyway
        }
    }

    static String possibleValuesJson(SourceCapabilities capabilities) {
        return "{\"possible_channel\":" + capabilities.channels() + ",\"possible_rates\":" + capabilities.rates() + "}";
    }

    @Override
    public synchronized void onConfig(StreamConfig config) {
        announced = config;
        String text = config.toJson();
        for (AudioClient client : clients) {
            client.sendText(text);
        }
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        buffers.incrementAndGet();
        Limits now = limits;
        Payload forPlain = null;
        Payload forHeader = null;
        for (AudioClient client : clients) {
            Payload payload;
            if (client.header()) {
                payload = forHeader != null ? forHeader : (forHeader = headed.encode(buffer, true));
            } else {
                payload = forPlain != null ? forPlain : (forPlain = plain.encode(buffer, false));
            }
            client.offer(payload, now.maxInFlight(), now.closeAfterNanos());
        }
        if (forPlain != null) forPlain.release();
        if (forHeader != null) forHeader.release();
    }

    @Override
    public String statusKey() {
        return "audio_clients";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("connected", clients.size());
        status.put("joined_total", joined.get());
        status.put("closed_too_slow", closedTooSlow.get());
        status.put("buffers_fanned_out", buffers.get());
        status.put("limits", Map.of("max_clients", limits.maxClients(), "max_in_flight", limits.maxInFlight(),
                "close_after_s", TimeUnit.NANOSECONDS.toSeconds(limits.closeAfterNanos())));
        List<Map<String, Object>> each = new ArrayList<>();
        for (AudioClient client : clients) {
            each.add(client.status());
        }
        status.put("clients", each);
        return status;
    }
}
