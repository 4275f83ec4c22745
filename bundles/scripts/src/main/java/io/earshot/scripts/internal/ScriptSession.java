package io.earshot.scripts.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

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
    private volatile Session session;
    private int queuedOutput;
    private long droppedOutput;
    private boolean sending;
    private boolean pumping;

    ScriptSession(ScriptChannel channel, boolean authorized) {
        this.channel = channel;
        this.authorized = authorized;
    }

    boolean authorized() {
        return authorized;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
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
        pump();
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
        pump();
    }

    /** Sends one message at a time; a send that completes at once continues this loop instead of recursing. */
    private void pump() {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            String next;
            synchronized (this) {
                if (sending || queue.isEmpty()) {
                    pumping = false;
                    return;
                }
                next = queue.poll();
                if (next.startsWith(ScriptChannel.OUTPUT_PREFIX)) queuedOutput--;
                sending = true;
            }
            try {
                s.sendText(next, Callback.from(this::sent, failure -> channel.leave(this)));
            } catch (RuntimeException e) {
                synchronized (this) {
                    pumping = false;
                }
                channel.leave(this);
                return;
            }
        }
    }

    private void sent() {
        synchronized (this) {
            sending = false;
        }
        pump();
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) s.close(code, reason, Callback.NOOP);
        channel.leave(this);
    }
}
