package io.earshot.bridge.audio.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioBuffer;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;
import io.earshot.api.Streams;

/**
 * Fans one stream out to its audio WebSocket clients, for the {@link AudioBridge} (which is the
 * stream's listener, so this runs on a listener thread of its own, never the capture thread);
 * per buffer it encodes the wire bytes once (once more for header-mode clients) and offers that
 * shared payload to each client. The listener's thread sends to the first
 * {@code clientsPerThread} clients; past that, new clients go to {@link SendLane}s, threads
 * that each send to their share, so sending can use several cores.
 */
final class AudioFanout {

    private static final Logger LOG = LoggerFactory.getLogger(AudioFanout.class);
    private static final long DISCONNECT_GRACE_SECONDS = 5;
    private static final int FREE_PAYLOADS = 16;

    private final AudioBridge bridge;
    private final StreamControl stream;
    private final List<AudioClient> clients = new CopyOnWriteArrayList<>();
    /** The clients this listener's own thread sends to. */
    private final List<AudioClient> inline = new CopyOnWriteArrayList<>();
    private final SendLane[] lanes;
    private final Payload.Pool plain = new Payload.Pool(FREE_PAYLOADS);
    private final Payload.Pool headed = new Payload.Pool(FREE_PAYLOADS);
    private final ScheduledExecutorService disconnects;
    private final AtomicLong joined = new AtomicLong();
    private final AtomicLong closedTooSlow = new AtomicLong();
    private final AtomicLong buffers = new AtomicLong();
    /** The config of the buffers being sent; guarded by this for joins. */
    private StreamConfig announced;

    AudioFanout(AudioBridge bridge, StreamControl stream, int sendThreads, ScheduledExecutorService disconnects) {
        this.bridge = bridge;
        this.stream = stream;
        this.disconnects = disconnects;
        this.lanes = new SendLane[sendThreads - 1];
        String suffix = Streams.MAIN.equals(stream.stream()) ? "" : "-" + stream.stream();
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new SendLane(this, (i + 1) + suffix);
        }
    }

    String stream() {
        return stream.stream();
    }

    StreamControl control() {
        return stream;
    }

    /** Closes every client with {@code reason} and ends the send threads. */
    void close(int code, String reason) {
        for (AudioClient client : clients) {
            client.close(code, reason);
        }
        clients.clear();
        inline.clear();
        for (SendLane lane : lanes) {
            lane.stop();
        }
    }

    int clientCount() {
        return clients.size();
    }

    long clientsWithoutToken() {
        return clients.stream().filter(c -> !c.withToken()).count();
    }

    long joined() {
        return joined.get();
    }

    long closedTooSlow() {
        return closedTooSlow.get();
    }

    long buffers() {
        return buffers.get();
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
        if (clients.size() < bridge.limits().clientsPerThread()) {
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

    synchronized void onConfig(StreamConfig config) {
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

    void onBuffer(AudioBuffer buffer) {
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
        AudioBridge.Limits now = bridge.limits();
        for (AudioClient client : to) {
            if (delivery.config().equals(client.config())) {
                client.offer(delivery.payloadFor(client), now.maxInFlight(), now.closeAfterNanos());
            }
        }
    }

    /** This stream's part of the bridge's status: its clients and send threads. */
    List<Map<String, Object>> sendThreads() {
        List<Map<String, Object>> threads = new ArrayList<>();
        threads.add(Map.of("clients", inline.size(), "dropped", 0L));
        for (SendLane lane : lanes) {
            threads.add(Map.of("clients", lane.clients.size(), "dropped", lane.dropped()));
        }
        return threads; // the listener's own thread first
    }

    List<Map<String, Object>> clientsStatus() {
        List<Map<String, Object>> each = new ArrayList<>();
        for (AudioClient client : clients) {
            Map<String, Object> status = client.status();
            status.put("stream", stream.stream());
            each.add(status);
        }
        return each;
    }
}
