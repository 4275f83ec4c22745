package io.earshot.dashboard.internal;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import io.earshot.websocket.send.SendPump;

/**
 * One browser on {@code /ws/ui}. Messages wait in a queue and go out one at a time. Handler
 * changes (types, add, remove) are never dropped; data and audio beyond
 * {@link #MAX_QUEUED_DATA} waiting are dropped and counted, and a browser that keeps losing
 * data for {@link #CLOSE_AFTER_NANOS} is closed with a reason. Nothing here blocks a plugin.
 */
public final class UiSession implements Session.Listener.AutoDemanding {

    static final int MAX_QUEUED_DATA = 256;
    static final long CLOSE_AFTER_NANOS = 10_000_000_000L;
    /** Handler changes are bounded by the handler limits; this bounds a pathological churn. */
    static final int MAX_QUEUED_CONTROL = 4096;

    private final Browsers browsers;
    private final Consumer<UiSession> replay;
    private final long id;
    private final long connectedMillis = System.currentTimeMillis();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final SendPump pump;
    private volatile Session session;
    private volatile SocketAddress remote;
    private int queuedData;
    private int queuedControl;
    private long droppingSinceNanos;

    /** {@code replay} offers a browser that just joined what it needs of what came before. */
    UiSession(Browsers browsers, long id, Consumer<UiSession> replay) {
        this.browsers = browsers;
        this.id = id;
        this.replay = replay;
        this.pump = new SendPump(this, this::next, this::sentOne, failure -> browsers.leave(this));
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.remote = session.getRemoteSocketAddress();
        pump.open(session);
        // joined first: a change meanwhile comes twice rather than never
        browsers.join(this);
        replay.accept(this);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        browsers.leave(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        browsers.leave(this);
    }

    @Override
    public void onWebSocketText(String message) {
        // the browser only listens here; changes go through /ws/config and the REST endpoints
    }

    void offerControl(String text) {
        synchronized (this) {
            if (queuedControl >= MAX_QUEUED_CONTROL) {
                closeSlow();
                return;
            }
            queue.add(text);
            queuedControl++;
        }
        pump.pump();
    }

    void offerData(String text) {
        offer(text);
    }

    void offerBinary(ByteBuffer binary) {
        offer(binary);
    }

    private void offer(Object message) {
        synchronized (this) {
            if (queuedData >= MAX_QUEUED_DATA) {
                dropped.incrementAndGet();
                long now = System.nanoTime();
                if (droppingSinceNanos == 0) {
                    droppingSinceNanos = now;
                } else if (now - droppingSinceNanos > CLOSE_AFTER_NANOS) {
                    closeSlow();
                }
                return;
            }
            queue.add(new Data(message));
            queuedData++;
        }
        pump.pump();
    }

    private record Data(Object message) {
    }

    /** The pump takes the next message here, holding this session's lock. */
    private Object next() {
        Object next = queue.poll();
        if (next instanceof Data data) {
            queuedData--;
            return data.message();
        }
        if (next != null) {
            queuedControl--;
        }
        return next;
    }

    /** Called by the pump holding this session's lock. */
    private void sentOne() {
        sent.incrementAndGet();
        if (queuedData < MAX_QUEUED_DATA / 2) {
            droppingSinceNanos = 0;
        }
    }

    private void closeSlow() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1008, "this browser did not keep up with the dashboard for "
                    + CLOSE_AFTER_NANOS / 1_000_000_000L + " s; reload to start again", Callback.NOOP);
        }
        browsers.leave(this);
    }

    synchronized Map<String, Object> status() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("remote", String.valueOf(remote));
        map.put("connected_s", (System.currentTimeMillis() - connectedMillis) / 1000);
        map.put("sent", sent.get());
        map.put("dropped", dropped.get());
        map.put("queued", queuedData + queuedControl);
        return map;
    }
}
