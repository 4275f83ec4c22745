package io.earshot.hub.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.StreamConfig;
import io.earshot.api.Streams;
import io.earshot.api.status.ListenerStats;

/**
 * One listener's place in the fan-out: a bounded queue filled by the capture thread and drained
 * by a thread of the listener's own. The capture thread only ever offers; when the queue is full
 * the buffer is counted as dropped for this listener alone.
 */
final class ListenerSlot {

    static final int DEFAULT_QUEUE = 16;
    static final int MAX_QUEUE = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ListenerSlot.class);
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** After the first failure, log one in this many, so a plugin that always throws cannot flood the log. */
    private static final int LOG_EVERY_NTH_FAILURE = 100;

    private final String name;
    private final String stream;
    private final long bundleId;
    private final Supplier<AudioListener> resolve;
    private final Runnable release;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private volatile long lastSequence = -1;
    /** Only the capture thread reads and writes this. */
    private StreamConfig announced;

    ListenerSlot(String name, AudioListener listener, int capacity) {
        this(name, Streams.MAIN, -1, () -> listener, () -> { }, capacity);
    }

    /**
     * A slot whose listener is looked up on the slot's own thread: a listener service may still
     * be under construction by the thread that bound it (a listener that needs the hub, created
     * while the hub itself is being created). {@code release} runs when the slot's thread ends.
     */
    ListenerSlot(String name, String stream, long bundleId, Supplier<AudioListener> resolve, Runnable release, int capacity) {
        this.name = name;
        this.stream = stream;
        this.bundleId = bundleId;
        this.resolve = resolve;
        this.release = release;
        this.queue = new ArrayBlockingQueue<>(capacity);
        // a listener of another stream than main is named for it too: "doa@kitchen"
        this.thread = new Thread(this::drain, ListenerStats.THREAD_PREFIX + name
                + (Streams.MAIN.equals(stream) ? "" : "@" + stream));
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String name() {
        return name;
    }

    /** Called by the capture thread only; never blocks. */
    void offer(AudioBuffer buffer) {
        if (buffer.config() != announced) {
            announce(buffer.config());
        }
        if (!queue.offer(buffer)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Called by the capture thread only, when a config takes effect. A config must reach the
     * listener: buffers of the old config make room for it.
     */
    void announce(StreamConfig config) {
        if (config == announced) {
            return;
        }
        announced = config;
        while (!queue.offer(config)) {
            if (queue.poll() instanceof AudioBuffer) {
                dropped.incrementAndGet();
            }
        }
    }

    /**
     * Stops delivering. A listener stuck inside a callback cannot be forced out; its thread is a
     * daemon, is interrupted, and no longer holds anything of the hub's.
     */
    void close() {
        running = false;
        queue.clear();
        thread.interrupt();
    }

    private void drain() {
        AudioListener listener;
        try {
            listener = resolve.get();
        } catch (RuntimeException e) {
            LOG.error("Listener {} could not be obtained; it receives nothing", name, e);
            return;
        }
        if (listener == null) {
            LOG.warn("Listener {} went away before its first buffer", name);
            return;
        }
        try {
            deliver(listener);
        } finally {
            release.run();
        }
    }

    private void deliver(AudioListener listener) {
        while (running) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue; // running says whether to go on
            }
            try {
                if (next instanceof AudioBuffer buffer) {
                    listener.onBuffer(buffer);
                    lastSequence = buffer.sequence();
                    delivered.incrementAndGet();
                } else {
                    listener.onConfig(stream, (StreamConfig) next);
                }
            } catch (Throwable t) {
                if (!running) {
                    break; // thrown by the listener's own stopping (a script's stop ends its loops this way)
                }
                long failures = failed.incrementAndGet();
                if (failures == 1 || failures % LOG_EVERY_NTH_FAILURE == 0) {
                    LOG.error("Listener {} threw ({} failures so far); it keeps receiving buffers", name, failures, t);
                }
            }
        }
    }

    ListenerStats stats() {
        // CPU the listener's thread has used: what this plugin costs
        long cpu = CPU.isThreadCpuTimeSupported() ? CPU.getThreadCpuTime(thread.getId()) : -1;
        int queued = queue.size();
        return new ListenerStats(name, bundleId, delivered.get(), dropped.get(), failed.get(), queued,
                queued + queue.remainingCapacity(), lastSequence, thread.getState().toString(), cpu < 0 ? null : cpu / 1_000_000);
    }

    /** The status entry, rendered from {@link #stats()}. */
    static Map<String, Object> status(ListenerStats stats) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", stats.name());
        status.put("bundle", stats.bundleId());
        status.put("delivered", stats.delivered());
        status.put("dropped", stats.dropped());
        status.put("failed", stats.failed());
        status.put("queued", stats.queued());
        status.put("queue_capacity", stats.queueCapacity());
        status.put("last_sequence", stats.lastSequence());
        status.put("thread", stats.threadState());
        status.put("cpu_ms", stats.cpuMillis());
        return status;
    }

    long dropped() {
        return dropped.get();
    }

    long failed() {
        return failed.get();
    }
}
