package io.earshot.mqtt.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.hivemq.client.mqtt.datatypes.MqttQos;

/**
 * The one bounded way out: a message is handed to the client only while the link is up and fewer
 * than {@code capacity} are still on their way; otherwise it is dropped and counted. So a slow or
 * absent broker costs messages, never a waiting caller, and the client's queues stay small.
 */
final class Outbox {

    /** Where messages go: the link to the broker. */
    interface Wire {
        boolean connected();

        CompletableFuture<?> publish(String topic, byte[] payload, MqttQos qos, boolean retain);
    }

    private final Wire link;
    private final int capacity;
    private final AtomicInteger onTheirWay = new AtomicInteger();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong droppedFull = new AtomicLong();
    private final AtomicLong droppedOffline = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;

    Outbox(Wire link, int capacity) {
        this.link = link;
        this.capacity = capacity;
    }

    /** Whether the message is on its way. */
    boolean offer(String topic, byte[] payload, MqttQos qos, boolean retain) {
        if (!link.connected()) {
            droppedOffline.incrementAndGet();
            return false;
        }
        if (onTheirWay.incrementAndGet() > capacity) {
            onTheirWay.decrementAndGet();
            droppedFull.incrementAndGet();
            return false;
        }
        try {
            link.publish(topic, payload, qos, retain).whenComplete((result, e) -> {
                onTheirWay.decrementAndGet();
                if (e == null) {
                    published.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    lastFailure = topic + ": " + e;
                }
            });
        } catch (RuntimeException e) { // the client refuses at once (a topic it finds malformed, a state it is in)
            onTheirWay.decrementAndGet();
            failed.incrementAndGet();
            lastFailure = topic + ": " + e;
            return false;
        }
        return true;
    }

    long published() {
        return published.get();
    }

    long dropped() {
        return droppedFull.get() + droppedOffline.get();
    }

    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("published", published.get());
        status.put("dropped", dropped());
        status.put("dropped_queue_full", droppedFull.get());
        status.put("dropped_offline", droppedOffline.get());
        status.put("failed", failed.get());
        status.put("last_failure", lastFailure);
        status.put("queued", onTheirWay.get());
        status.put("queue_capacity", capacity);
        return status;
    }
}
