package io.earshot.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.After;
import org.junit.Test;

import com.hivemq.client.mqtt.datatypes.MqttQos;

public class HandlerFeedTest {

    /** A wire that keeps what it is given; its sends complete when the test says. */
    static final class Wire implements Outbox.Wire {
        volatile boolean connected = true;
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();

        @Override public boolean connected() { return connected; }

        @Override
        public synchronized CompletableFuture<?> publish(String topic, byte[] payload, MqttQos qos, boolean retain) {
            sent.add(topic + "=" + new String(payload, StandardCharsets.UTF_8) + (retain ? " (retained)" : ""));
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending.add(done);
            return done;
        }

        synchronized List<String> sent() { return new ArrayList<>(sent); }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @After
    public void stop() {
        timer.shutdownNow();
    }

    @Test
    public void aTopicGetsAtMostItsRateAndTheLatestDataWins() throws Exception {
        Wire wire = new Wire();
        Outbox outbox = new Outbox(wire, 100);
        HandlerFeed feed = new HandlerFeed(outbox, timer, 5); // one every 200 ms
        feed.data("t", "h1", "1");
        Thread.sleep(50);
        for (int i = 2; i <= 10; i++) feed.data("t", "h1", String.valueOf(i)); // within its interval
        Thread.sleep(400);
        assertEquals(List.of("t=1 (retained)", "t=10 (retained)"), wire.sent());
        assertEquals(8, feed.coalesced());
        feed.removed("t", "h2"); // another handler of that name does not clear this one's data
        feed.removed("t", "h1");
        Thread.sleep(50);
        assertEquals("t= (retained)", wire.sent().get(2));
        assertEquals(0, feed.topics());
    }

    @Test
    public void aFullOrAbsentWayOutDropsAndCountsWithoutWaiting() {
        Wire wire = new Wire();
        Outbox outbox = new Outbox(wire, 2);
        assertTrue(outbox.offer("a", new byte[0], MqttQos.AT_MOST_ONCE, false));
        assertTrue(outbox.offer("b", new byte[0], MqttQos.AT_MOST_ONCE, false));
        assertFalse("two on their way: the queue is full", outbox.offer("c", new byte[0], MqttQos.AT_MOST_ONCE, false));
        wire.pending.get(0).complete(null);
        assertTrue(outbox.offer("d", new byte[0], MqttQos.AT_MOST_ONCE, false));
        wire.connected = false;
        assertFalse(outbox.offer("e", new byte[0], MqttQos.AT_MOST_ONCE, false));
        Map<String, Object> status = outbox.status();
        assertEquals(1L, status.get("published"));
        assertEquals(1L, status.get("dropped_queue_full"));
        assertEquals(1L, status.get("dropped_offline"));
        assertEquals(2, status.get("queued"));
    }

    @Test
    public void handlerTopicsAreLimited() {
        HandlerFeed feed = new HandlerFeed(new Outbox(new Wire(), 10), timer, 1);
        for (int i = 0; i < HandlerFeed.MAX_TOPICS + 5; i++) feed.data("t" + i, "h" + i, "0");
        assertEquals(HandlerFeed.MAX_TOPICS, feed.topics());
        assertEquals(5, feed.droppedTopics());
    }
}
