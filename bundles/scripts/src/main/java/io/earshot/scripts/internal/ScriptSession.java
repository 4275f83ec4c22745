package io.earshot.scripts.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import io.earshot.websocket.send.SendPump;

/**
 * One client of {@code /ws/scripts}. Replies and status go out in order and are never dropped
 * (a client that lets {@link #MAX_QUEUED_REPLIES} pile up is closed); output lines beyond
 * {@link #MAX_QUEUED_OUTPUT} waiting are dropped, counted and said in a {@code truncated} message.
 * Nothing here blocks the script that printed.
 */
public final class ScriptSession implements Session.Listener.AutoDemanding {

    static final int MAX_QUEUED_OUTPUT = 512;
    static final int MAX_QUEUED_REPLIES = 1024;

    private final ScriptChannel channel;
    private final boolean authorized;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final SendPump pump;
    private volatile Session session;
    private int queuedOutput;
    private long droppedOutput;

    ScriptSession(ScriptChannel channel, boolean authorized) {
        this.channel = channel;
        this.authorized = authorized;
        this.pump = new SendPump(this, this::next, () -> { }, failure -> channel.leave(this));
    }

    boolean authorized() {
        return authorized;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        pump.open(session);
        channel.join(this);
    }

    @Override
    public void onWebSocketText(String message) {
        channel.handle(this, message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        channel.handle(this, null);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        channel.leave(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        channel.leave(this);
    }

    void reply(String json) {
        synchronized (this) {
            if (queue.size() >= MAX_QUEUED_REPLIES) {
                close(1008, "this client read nothing of " + MAX_QUEUED_REPLIES + " replies; reconnect to start again");
                return;
            }
            queue.add(json);
        }
        pump.pump();
    }

    /** An output line: dropped (and counted) when the client is behind. */
    void output(String json) {
        synchronized (this) {
            if (queuedOutput >= MAX_QUEUED_OUTPUT) {
                droppedOutput++;
                return;
            }
            if (droppedOutput > 0) {
                String note = ScriptChannel.truncated(null, droppedOutput, "this client read too slowly");
                droppedOutput = 0;
                queue.add(note);
            }
            queue.add(json);
            queuedOutput++;
        }
        pump.pump();
    }

    /** The pump takes the next message here, holding this session's lock. */
    private String next() {
        String next = queue.poll();
        if (next != null && next.startsWith(ScriptChannel.OUTPUT_PREFIX)) queuedOutput--;
        return next;
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) s.close(code, reason, Callback.NOOP);
        channel.leave(this);
    }
}
