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
 * Its own thread sends to the first {@code clientsPerThread} clients; past that, new clients go
 * to {@link SendLane}s, threads that each send to their share, so sending can use several cores.
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
    /** The clients this listener's own thread sends to. */
    private final List<AudioClient> inline = new CopyOnWriteArrayList<>();
    private final SendLane[] lanes;
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

    record Limits(int maxClients, int maxInFlight, long closeAfterNanos, int clientsPerThread) {
        static Limits of(AudioBridgeConfig config) {
            return new Limits(clamp("maxClients", config.maxClients(), 1, 10_000, 1000),
                    clamp("maxInFlight", config.maxInFlight(), 1, 64, 4),
                    TimeUnit.SECONDS.toNanos(clamp("closeAfterSeconds", config.closeAfterSeconds(), 1, 3600, 10)),
                    clamp("clientsPerThread", config.clientsPerThread(), 1, 10_000, 64));
        }
    }

    @Activate
    public AudioFanout(@Reference StreamControl stream, AudioBridgeConfig config) {
        this.stream = stream;
        this.limits = Limits.of(config);
        this.lanes = new SendLane[clamp("sendThreads", config.sendThreads(), 1, 16, 4) - 1];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new SendLane(this, i + 1);
        }
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
        for (SendLane lane : lanes) {
            lane.stop();
        }
        disconnects.shutdownNow();
    }

    static int clamp(String name, int value, int min, int max, int fallback) {
        if (value < min || value > max) {
            LOG.error("{}: {}={} is out of range {}..{}; using {}", PID, name, value, min, max, fallback);
            return fallback;
        }
        return value;
    }

    /**
     * Null when a new client may connect, else the reason it may not. Clients without the token
     * (programs on this machine, when reads are open) leave {@link #reservedForToken} places
     * free, so a flood of them cannot lock out the webapp.
     */
    String refusal(boolean withToken) {
        int max = limits.maxClients();
        if (clients.size() >= max) {
            return "too many audio clients (limit " + max + ")";
        }
        int open = max - reservedForToken(max);
        if (!withToken && clients.stream().filter(c -> !c.withToken()).count() >= open) {
            return "too many audio clients without the access token (limit " + open + "; the other "
                    + (max - open) + " places are kept for clients with it)";
        }
        return null;
    }

    static int reservedForToken(int maxClients) {
        return Math.min(16, maxClients / 4);
    }

    AudioClient newClient(boolean header, boolean withToken) {
        return new AudioClient(this, header, withToken, nextId.getAndIncrement());
    }

    /** A client is open: it gets the config, the possible values, then the buffers of that config. */
    synchronized void join(AudioClient client) {
        StreamConfig config = announced != null ? announced : stream.current();
        client.announce(config, config.toJson());
        client.sendText(possibleValuesJson(stream.capabilities()));
        List<AudioClient> lane = leastServedLane();
        client.lane(lane);
        lane.add(client);
        clients.add(client);
        joined.incrementAndGet();
    }

    /** This thread's own clients until it has clientsPerThread, then whichever list is shortest. */
    private List<AudioClient> leastServedLane() {
        List<AudioClient> least = inline;
        if (clients.size() < limits.clientsPerThread()) {
            return least;
        }
        for (SendLane lane : lanes) {
            if (lane.clients.size() < least.size()) least = lane.clients;
        }
        return least;
    }

    void leave(AudioClient client) {
        clients.remove(client);
        List<AudioClient> lane = client.lane();
        if (lane != null) lane.remove(client);
    }

    void closedTooSlow(AudioClient client) {
        closedTooSlow.incrementAndGet();
        leave(client);
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
        for (AudioClient client : inline) {
            client.announce(config, text);
        }
        SendLane.Announcement announcement = new SendLane.Announcement(config, text);
        for (SendLane lane : lanes) {
            lane.announce(announcement);
        }
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        buffers.incrementAndGet();
        boolean wantPlain = false;
        boolean wantHeader = false;
        for (AudioClient client : clients) {
            if (client.header()) wantHeader = true; else wantPlain = true;
            if (wantPlain && wantHeader) break;
        }
        if (!wantPlain && !wantHeader) {
            return;
        }
        SendLane.Delivery delivery = new SendLane.Delivery(buffer.config(),
                wantPlain ? plain.encode(buffer, false) : null, wantHeader ? headed.encode(buffer, true) : null);
        for (SendLane lane : lanes) {
            if (!lane.clients.isEmpty()) {
                delivery.retain();
                lane.offer(delivery);
            }
        }
        send(inline, delivery);
        delivery.release();
    }

    /** Sends one buffer to some clients: those told of its config; each send only offered, never waited for. */
    void send(List<AudioClient> to, SendLane.Delivery delivery) {
        Limits now = limits;
        for (AudioClient client : to) {
            if (delivery.config().equals(client.config())) {
                client.offer(delivery.payloadFor(client), now.maxInFlight(), now.closeAfterNanos());
            }
        }
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
                "close_after_s", TimeUnit.NANOSECONDS.toSeconds(limits.closeAfterNanos()),
                "clients_per_thread", limits.clientsPerThread()));
        List<Map<String, Object>> threads = new ArrayList<>();
        threads.add(Map.of("clients", inline.size(), "dropped", 0L));
        for (SendLane lane : lanes) {
            threads.add(Map.of("clients", lane.clients.size(), "dropped", lane.dropped()));
        }
        status.put("send_threads", threads); // this listener's own thread first
        List<Map<String, Object>> each = new ArrayList<>();
        for (AudioClient client : clients) {
            each.add(client.status());
        }
        status.put("clients", each);
        return status;
    }
}
