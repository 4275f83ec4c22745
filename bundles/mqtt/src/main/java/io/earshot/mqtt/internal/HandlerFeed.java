package io.earshot.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.hivemq.client.mqtt.datatypes.MqttQos;

/**
 * Handler data to its topics, at most {@code rateHz} messages a second on each: data that comes
 * sooner waits, and newer data replaces it (the latest wins, coalesced counted), so the plugin's
 * thread only swaps a reference and the broker gets each handler's last state. Retained, as a
 * browser that comes later is shown each handler's last data; a removed handler's is cleared.
 */
final class HandlerFeed {

    /** Most handler topics kept; the dashboard holds at most 512 handlers. */
    static final int MAX_TOPICS = 1024;

    private static final byte[] CLEAR = new byte[0];

    private final Outbox outbox;
    private final ScheduledExecutorService timer;
    private final long intervalNanos;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong droppedTopics = new AtomicLong();

    /** One topic: the data waiting for its turn, and when its turn is. */
    private static final class Slot {
        final String topic;
        final String handlerId;
        final AtomicReference<String> waiting = new AtomicReference<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
        volatile long nextNanos;

        Slot(String topic, String handlerId) {
            this.topic = topic;
            this.handlerId = handlerId;
        }
    }

    HandlerFeed(Outbox outbox, ScheduledExecutorService timer, int rateHz) {
        this.outbox = outbox;
        this.timer = timer;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / rateHz;
    }

    /** On the plugin's thread: no waiting, no encoding. */
    void data(String topic, String handlerId, String json) {
        Slot slot = slots.get(topic);
        if (slot == null) {
            if (slots.size() >= MAX_TOPICS) {
                droppedTopics.incrementAndGet();
                return;
            }
            slot = slots.computeIfAbsent(topic, t -> new Slot(t, handlerId));
        }
        if (slot.waiting.getAndSet(json) != null) {
            coalesced.incrementAndGet();
        }
        if (slot.scheduled.compareAndSet(false, true)) {
            Slot s = slot;
            long delay = Math.max(0, slot.nextNanos - System.nanoTime());
            timer.schedule(() -> flush(s), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void flush(Slot slot) {
        // the next turn is set before the flag is cleared, so data coming now waits for it
        slot.nextNanos = System.nanoTime() + intervalNanos;
        slot.scheduled.set(false);
        String json = slot.waiting.getAndSet(null);
        if (json != null) {
            outbox.offer(slot.topic, json.getBytes(StandardCharsets.UTF_8), MqttQos.AT_MOST_ONCE, true);
        }
    }

    /** The handler is gone: its retained data too (unless another handler of that name took the topic). */
    void removed(String topic, String handlerId) {
        Slot slot = slots.get(topic);
        if (slot != null && slot.handlerId.equals(handlerId) && slots.remove(topic, slot)) {
            slot.waiting.set(null);
            outbox.offer(topic, CLEAR, MqttQos.AT_LEAST_ONCE, true);
        }
    }

    int topics() {
        return slots.size();
    }

    long coalesced() {
        return coalesced.get();
    }

    long droppedTopics() {
        return droppedTopics.get();
    }
}
