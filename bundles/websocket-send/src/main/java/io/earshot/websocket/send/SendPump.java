package io.earshot.websocket.send;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Sends one WebSocket session's messages in order, one at a time, as Jetty requires. The owner
 * keeps the queue and its limits; this only takes the next message when nothing is in flight. A
 * send that Jetty completes at once, on the same thread, continues the loop here instead of
 * recursing, so a fast client cannot overflow the stack. Copied into each bundle that uses it.
 */
public final class SendPump {

    private final Object lock;
    private final Supplier<Object> next;
    private final Runnable sent;
    private final Consumer<Throwable> failed;
    private volatile Session session;
    private boolean sending;
    private boolean pumping;

    /**
     * @param lock the owner's lock: {@code next} and {@code sent} are called holding it, so the
     *        owner's queue and counters change together with what is sent
     * @param next takes the next message (a {@code String} or a {@code ByteBuffer}) off the
     *        owner's queue, or returns null when there is none
     * @param sent called after each completed send
     * @param failed called when a send fails; nothing is sent after that
     */
    public SendPump(Object lock, Supplier<Object> next, Runnable sent, Consumer<Throwable> failed) {
        this.lock = lock;
        this.next = next;
        this.sent = sent;
        this.failed = failed;
    }

    /** Sends to this session from now on. */
    public void open(Session session) {
        this.session = session;
    }

    /** Sends what the owner has queued; call it after queueing, not holding the lock. */
    public void pump() {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        synchronized (lock) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            Object message;
            synchronized (lock) {
                message = sending ? null : next.get();
                if (message == null) {
                    pumping = false;
                    return;
                }
                sending = true;
            }
            Callback done = Callback.from(this::completed, failed);
            try {
                if (message instanceof ByteBuffer binary) {
                    s.sendBinary(binary, done);
                } else {
                    s.sendText((String) message, done);
                }
            } catch (RuntimeException e) {
                synchronized (lock) {
                    pumping = false;
                }
                failed.accept(e);
                return;
            }
        }
    }

    private void completed() {
        synchronized (lock) {
            sending = false;
            sent.run();
        }
        pump();
    }
}
