package io.earshot.bridge.audio.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.earshot.api.StreamConfig;

/**
 * A thread of the fan-out's own that sends to its share of the clients, so that hundreds of
 * clients can use more than one core. A client stays in one lane for its whole life, so its
 * messages keep their order. The fan-out offers each buffer to every lane and never waits: a lane
 * that falls {@link #QUEUE} buffers behind loses the next ones, counted for each of its clients.
 */
final class SendLane {

    static final int QUEUE = 8;

    /** One buffer for a lane: the payloads it needs (either may be null), one reference each. */
    record Delivery(StreamConfig config, Payload plain, Payload headed) {
        Payload payloadFor(AudioClient client) {
            return client.header() ? headed : plain;
        }

        void retain() {
            if (plain != null) plain.retain();
            if (headed != null) headed.retain();
        }

        void release() {
            if (plain != null) plain.release();
            if (headed != null) headed.release();
        }
    }

    /** A config announcement, sent to every client of the lane after the buffers queued before it. */
    record Announcement(StreamConfig config, String json) {
    }

    final List<AudioClient> clients = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AudioFanout fanout;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    SendLane(AudioFanout fanout, String name) {
        this.fanout = fanout;
        this.thread = new Thread(this::run, "earshot-audio-send-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Called on the fan-out's thread; never blocks. */
    void offer(Delivery delivery) {
        if (!queue.offer(delivery)) {
            lose(delivery);
        }
    }

    /** Called on the fan-out's thread. An announcement must arrive: buffers queued before it make room. */
    void announce(Announcement announcement) {
        while (!queue.offer(announcement)) {
            Object stale = queue.poll();
            if (stale instanceof Delivery delivery) {
                lose(delivery);
            }
        }
    }

    private void lose(Delivery delivery) {
        delivery.release();
        dropped.incrementAndGet();
        for (AudioClient client : clients) client.droppedByLane();
    }

    long dropped() {
        return dropped.get();
    }

    void stop() {
        running = false;
        thread.interrupt();
        for (Object left; (left = queue.poll()) != null; ) {
            if (left instanceof Delivery delivery) delivery.release();
        }
    }

    private void run() {
        while (running) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue; // running says whether to go on
            }
            if (next instanceof Delivery delivery) {
                fanout.send(clients, delivery);
                delivery.release();
            } else {
                Announcement announcement = (Announcement) next;
                for (AudioClient client : clients) client.announce(announcement.config(), announcement.json());
            }
        }
    }
}
