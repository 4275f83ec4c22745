package io.earshot.hub.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.ConfigChange;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/**
 * The one capture thread: opens the wanted source, reads it buffer by buffer, numbers and
 * timestamps each buffer and offers it to every listener slot. It never waits for a consumer.
 * <p>
 * Everything that changes the stream (a new config, another source, the source going away) is
 * posted to this thread, which interrupts its read, closes the capture and reopens; so the
 * source is only ever touched from here.
 */
final class CaptureLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureLoop.class);
    static final long FIRST_BACKOFF_MILLIS = 500;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long CHANGE_TIMEOUT_MILLIS = 15_000;

    private final Function<String, AudioSource> sources;
    private final List<ListenerSlot> slots = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Object lock = new Object();
    private final long startedNanos = System.nanoTime();

    private volatile boolean running = true;
    private volatile String sourceId;
    private volatile StreamConfig config;
    private volatile AudioSource active;
    private volatile String state = "starting";
    private volatile String lastError;
    /** A config change waiting for the capture thread; guarded by lock. */
    private PendingChange pending;
    /** Set when the capture must be reopened: another source, the source went away. Guarded by lock. */
    private boolean reopen;

    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong reopens = new AtomicLong();
    private volatile long nextSequence;
    private volatile long lostInSource;
    private volatile long lastCaptureNanos;

    private record PendingChange(StreamConfig config, CompletableFuture<ConfigChange> answer) {
    }

    CaptureLoop(String sourceId, StreamConfig initial, Function<String, AudioSource> sources) {
        this.sourceId = sourceId;
        this.config = initial;
        this.sources = sources;
        this.thread = new Thread(this::run, "earshot-capture");
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
        for (ListenerSlot slot : slots) {
            slot.close();
        }
        slots.clear();
    }

    void add(ListenerSlot slot) {
        slots.add(slot);
    }

    void remove(ListenerSlot slot) {
        slots.remove(slot);
    }

    List<ListenerSlot> slots() {
        return slots;
    }

    StreamConfig config() {
        return config;
    }

    String sourceId() {
        return sourceId;
    }

    AudioSource activeSource() {
        return active;
    }

    /** Use another source (or the same one, reopened): the stream moves over on the capture thread. */
    void switchTo(String newSourceId) {
        switchTo(newSourceId, null);
    }

    /**
     * Reopens on {@code newSourceId} with {@code wanted} (or the current config when null), made
     * to fit what the source can do. Does not wait: for configuration files, not for clients.
     */
    void switchTo(String newSourceId, StreamConfig wanted) {
        synchronized (lock) {
            sourceId = newSourceId;
            if (wanted != null) {
                config = wanted;
            }
            reopen = true;
            lock.notifyAll();
        }
        thread.interrupt();
    }

    /** A source came or went: the capture thread looks again at what it should run. */
    void sourcesChanged(AudioSource changed) {
        if (changed == active || changed.id().equals(sourceId)) {
            switchTo(sourceId);
        }
    }

    /** Checks, then hands the change to the capture thread and waits for its answer. */
    ConfigChange change(StreamConfig wanted) {
        AudioSource source = active;
        if (source == null) {
            return ConfigChange.refused(config, "no source is running (" + state + "); try again when it is");
        }
        var problem = source.capabilities().problemWith(wanted);
        if (problem.isPresent()) {
            return ConfigChange.refused(config, problem.get());
        }
        if (wanted.equals(config)) {
            return ConfigChange.applied(config);
        }
        CompletableFuture<ConfigChange> answer = new CompletableFuture<>();
        synchronized (lock) {
            if (pending != null) {
                pending.answer.complete(ConfigChange.refused(config, "superseded by a later change"));
            }
            pending = new PendingChange(wanted, answer);
            lock.notifyAll();
        }
        thread.interrupt();
        try {
            return answer.get(CHANGE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return ConfigChange.refused(config, "the source did not reopen within " + CHANGE_TIMEOUT_MILLIS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ConfigChange.refused(config, "interrupted while waiting for the source");
        } catch (ExecutionException e) {
            return ConfigChange.refused(config, String.valueOf(e.getCause()));
        }
    }

    private void run() {
        long backoff = 0;
        AudioSource backoffSource = null;
        while (running) {
            PendingChange change;
            synchronized (lock) {
                change = pending;
                pending = null;
                reopen = false;
            }
            AudioSource source = sources.apply(sourceId);
            if (source == null) {
                active = null;
                state = "waiting for source '" + sourceId + "'";
                if (change != null) {
                    change.answer.complete(ConfigChange.refused(config, "source '" + sourceId + "' is not available"));
                }
                awaitWakeUp(0);
                continue;
            }
            StreamConfig target = change != null ? change.config : fit(source.capabilities(), config);
            Capture capture;
            state = "opening source '" + sourceId + "'";
            try {
                capture = source.open(target);
            } catch (SourceException | RuntimeException e) {
                String reason = e.getMessage() != null ? e.getMessage() : e.toString();
                failures.incrementAndGet();
                if (change != null) {
                    LOG.warn("Source {} refused {}: {}; keeping {}", sourceId, target, reason, config);
                    change.answer.complete(ConfigChange.refused(config, reason));
                    continue; // reopen with the old config right away
                }
                active = null;
                lastError = reason;
                if (source != backoffSource) {
                    backoff = 0; // a new source (or a new instance of it) has not failed yet
                    backoffSource = source;
                }
                backoff = backoff == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                state = "source '" + sourceId + "' failed, retrying in " + backoff + " ms";
                LOG.warn("Source {} could not open {}: {}; retrying in {} ms", sourceId, target, reason, backoff);
                awaitWakeUp(backoff);
                continue;
            }
            config = target;
            active = source;
            state = "running";
            for (ListenerSlot slot : slots) {
                slot.announce(target); // at once, not only with the first buffer
            }
            reopens.incrementAndGet();
            if (change != null) {
                change.answer.complete(ConfigChange.applied(target));
                LOG.info("Stream reconfigured: {}", target);
            }
            try {
                captureUntilReopen(capture, target);
                backoff = 0;
            } catch (SourceException | RuntimeException e) {
                failures.incrementAndGet();
                lastError = e.getMessage() != null ? e.getMessage() : e.toString();
                LOG.warn("Source {} failed while capturing: {}", sourceId, lastError);
                if (source != backoffSource) {
                    backoff = 0;
                    backoffSource = source;
                }
                backoff = backoff == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                state = "source '" + sourceId + "' failed, retrying in " + backoff + " ms";
                closeQuietly(capture);
                awaitWakeUp(backoff);
                continue;
            }
            closeQuietly(capture);
        }
        active = null;
        state = "stopped";
    }

    /** Reads until the thread is asked to stop or reopen. */
    private void captureUntilReopen(Capture capture, StreamConfig target) throws SourceException {
        long lostAtOpen = capture.lostBuffers();
        long lostCounted = 0;
        while (running) {
            short[] samples = new short[target.samplesPerBuffer()];
            long captureNanos;
            try {
                captureNanos = capture.read(samples);
            } catch (InterruptedException e) {
                if (mustReopen()) {
                    return;
                }
                continue; // a stale interrupt: nothing to do, keep reading
            }
            long lost = capture.lostBuffers() - lostAtOpen;
            if (lost > lostCounted) {
                nextSequence += lost - lostCounted;
                lostInSource += lost - lostCounted;
                lostCounted = lost;
            }
            AudioBuffer buffer = new AudioBuffer(target, nextSequence++, captureNanos, samples);
            lastCaptureNanos = captureNanos;
            captured.incrementAndGet();
            for (ListenerSlot slot : slots) {
                slot.offer(buffer);
            }
            if (Thread.currentThread().isInterrupted() && mustReopen()) {
                Thread.interrupted();
                return;
            }
        }
    }

    private boolean mustReopen() {
        synchronized (lock) {
            return !running || reopen || pending != null;
        }
    }

    private void awaitWakeUp(long millis) {
        synchronized (lock) {
            if (!running || reopen || pending != null) {
                return;
            }
            try {
                lock.wait(millis);
            } catch (InterruptedException e) {
                // woken to look again
            }
        }
    }

    /** The configured stream if the source can run it, else the nearest it can. */
    private static StreamConfig fit(SourceCapabilities capabilities, StreamConfig wanted) {
        if (capabilities.problemWith(wanted).isEmpty()) {
            return wanted;
        }
        StreamConfig closest = capabilities.closest(wanted);
        LOG.info("The source cannot run {} ({}); using {}", wanted,
                capabilities.problemWith(wanted).orElse(""), closest);
        return closest;
    }

    private static void closeQuietly(Capture capture) {
        try {
            capture.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the capture failed", e);
        }
    }

    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", state);
        status.put("buffers", captured.get());
        status.put("next_sequence", nextSequence);
        status.put("lost_in_source", lostInSource);
        status.put("opens", reopens.get());
        status.put("failures", failures.get());
        status.put("last_error", lastError);
        long last = lastCaptureNanos;
        status.put("last_capture_ms_ago", last == 0 ? null : (System.currentTimeMillis() * 1_000_000L - last) / 1_000_000L);
        status.put("uptime_s", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        return status;
    }
}
