package io.earshot.bridge.audio.internal;

import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import io.earshot.api.StreamConfig;

/**
 * One WebSocket listener of the stream. Its work per buffer is a counter check and one
 * asynchronous send of the shared payload; a client with too many sends unfinished loses the
 * buffer instead, and one that stays behind too long is closed with a reason.
 */
public final class AudioClient implements Session.Listener.AutoDemanding {

    /** Policy violation: the code a client sees when closed for being too slow. */
    static final int TOO_SLOW = 1008;

    private final AudioFanout fanout;
    private final boolean header;
    private final boolean withToken;
    private final long id;
    private final long connectedMillis = System.currentTimeMillis();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Session session;
    private volatile SocketAddress remote;
    /** When this client began to lose buffers without a send getting through; 0 while it keeps up. */
    private volatile long behindSinceNanos;
    /** The config this client was last told of: it gets buffers of that config only. */
    private volatile StreamConfig config;
    /** The clients of the lane that sends to this one; set once when it joins. */
    private volatile List<AudioClient> lane;

    AudioClient(AudioFanout fanout, boolean header, boolean withToken, long id) {
        this.fanout = fanout;
        this.header = header;
        this.withToken = withToken;
        this.id = id;
    }

    /** Whether it connected with the access token (clients without it have fewer places). */
    boolean withToken() {
        return withToken;
    }

    boolean header() {
        return header;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.remote = session.getRemoteSocketAddress();
        fanout.join(this);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        fanout.leave(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        fanout.leave(this);
    }

    @Override
    public void onWebSocketText(String message) {
        // the audio socket is send-only, as in easy-dsp: what a client says is ignored
    }

    void sendText(String text) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(text, Callback.NOOP);
        }
    }

    /** Tells the client of a config; from now on it gets buffers of that config. */
    void announce(StreamConfig announced, String json) {
        sendText(json);
        config = announced;
    }

    StreamConfig config() {
        return config;
    }

    List<AudioClient> lane() {
        return lane;
    }

    void lane(List<AudioClient> clients) {
        lane = clients;
    }

    /** A buffer its lane could not take: the server's shortfall, so it never counts towards closing. */
    void droppedByLane() {
        dropped.incrementAndGet();
    }

    /** Called on the bridge's thread for every buffer; never blocks. */
    void offer(Payload payload, int maxInFlight, long closeAfterNanos) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        if (inFlight.get() >= maxInFlight) {
            dropped.incrementAndGet();
            long now = System.nanoTime();
            if (behindSinceNanos == 0) {
                behindSinceNanos = now;
            } else if (now - behindSinceNanos > closeAfterNanos) {
                closeTooSlow(s, now);
            }
            return;
        }
        behindSinceNanos = 0;
        inFlight.incrementAndGet();
        payload.retain();
        s.sendBinary(payload.view(), Callback.from(() -> {
            inFlight.decrementAndGet();
            sent.incrementAndGet();
            payload.release();
        }, failure -> {
            inFlight.decrementAndGet();
            payload.release();
        }));
    }

    private void closeTooSlow(Session s, long now) {
        behindSinceNanos = now; // once per period of being behind, not per buffer
        String reason = "too slow: " + dropped.get() + " buffers dropped; read faster or use a larger buffer_frames";
        fanout.closedTooSlow(this);
        s.close(TOO_SLOW, reason, Callback.NOOP);
        // a client that reads nothing never takes the close frame either: cut it after a grace time
        fanout.scheduleDisconnect(s);
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", id);
        status.put("remote", String.valueOf(remote));
        status.put("header", header);
        status.put("connected_s", (System.currentTimeMillis() - connectedMillis) / 1000);
        status.put("sent", sent.get());
        status.put("dropped", dropped.get());
        status.put("in_flight", inFlight.get());
        return status;
    }

    long sent() {
        return sent.get();
    }

    long dropped() {
        return dropped.get();
    }
}
