package io.earshot.websocket.send;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.Test;

public class SendPumpTest {

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final List<Object> sentMessages = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final SendPump pump = new SendPump(this, queue::poll, completed::incrementAndGet, failures::add);

    /** An open session whose sendText and sendBinary go to {@code send}; nothing else is used. */
    private static Session session(BiConsumer<Object, Callback> send) {
        return (Session) Proxy.newProxyInstance(SendPumpTest.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> true;
                    case "sendText", "sendBinary" -> {
                        send.accept(args[0], (Callback) args[1]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Opens a session whose sends complete when the test completes their callbacks, returned in order. */
    private List<Callback> openWithSendsHeld() {
        List<Callback> inFlight = new ArrayList<>();
        pump.open(session((message, callback) -> {
            sentMessages.add(message);
            inFlight.add(callback);
        }));
        return inFlight;
    }

    private void offer(Object message) {
        synchronized (this) {
            queue.add(message);
        }
        pump.pump();
    }

    @Test
    public void sendsInOrderOneAtATime() {
        List<Callback> inFlight = openWithSendsHeld();
        ByteBuffer binary = ByteBuffer.wrap(new byte[] {1, 2});
        offer("a");
        offer(binary);
        offer("c");
        assertEquals(List.of("a"), sentMessages);

        inFlight.get(0).succeed();
        assertEquals(2, sentMessages.size());
        assertSame(binary, sentMessages.get(1));
        assertEquals(1, completed.get());

        inFlight.get(1).succeed();
        inFlight.get(2).succeed();
        assertEquals("c", sentMessages.get(2));
        assertEquals(3, completed.get());
        assertTrue(queue.isEmpty());
        assertTrue(failures.isEmpty());
    }

    @Test
    public void waitsForTheSessionToOpen() {
        offer("early");
        pump.open(session((message, callback) -> sentMessages.add(message)));
        assertEquals(List.of(), sentMessages);
        offer("late");
        assertEquals(List.of("early"), sentMessages);
    }

    @Test
    public void sendsCompletedAtOnceLoopInsteadOfRecursing() {
        int count = 100_000;
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        pump.open(session((message, callback) -> {
            deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
            sentMessages.add(message);
            callback.succeed();
            depth.decrementAndGet();
        }));
        synchronized (this) {
            for (int i = 0; i < count; i++) {
                queue.add("m" + i);
            }
        }
        pump.pump();
        assertEquals(count, sentMessages.size());
        assertEquals("m" + (count - 1), sentMessages.get(count - 1));
        assertEquals(count, completed.get());
        assertEquals("a send is never started inside another", 1, deepest.get());
    }

    @Test
    public void aSendThatThrowsCallsTheFailureHookAndStopsSending() {
        RuntimeException closed = new IllegalStateException("closed");
        pump.open(session((message, callback) -> {
            sentMessages.add(message);
            throw closed;
        }));
        offer("a");
        offer("b");
        assertEquals(List.of(closed), failures);
        assertEquals(List.of("a"), sentMessages);
        assertEquals(0, completed.get());
    }

    @Test
    public void aSendThatFailsLaterCallsTheFailureHookAndStopsSending() {
        List<Callback> inFlight = openWithSendsHeld();
        offer("a");
        offer("b");
        Throwable reset = new IOException("connection reset");
        inFlight.get(0).fail(reset);
        offer("c");
        assertEquals(List.of(reset), failures);
        assertEquals(List.of("a"), sentMessages);
    }
}
