package io.earshot.hub.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import io.earshot.api.SourceSettings;
import io.earshot.api.StreamConfig;
import io.earshot.api.Streams;

/**
 * The one capture thread: opens the wanted source, reads it buffer by buffer, numbers and
 * timestamps each buffer and offers it to every listener slot. It never waits for a consumer.
 * <p>
 * Everything that changes the stream (a new config, another source, the source going away) is
 * posted to this thread, which interrupts its read, closes the capture and reopens; so the
 * source is only ever touched from here.
 * <p>
 * Config changes are paced: one that comes less than the minimum reopen interval after the
 * last reopen waits, and those that come meanwhile are merged into it, key by key. Once the
 * interval has passed the stream reopens at the end of the next buffer, so the wait cuts no
 * audio; the source runs on its current config until then.
 */
final class CaptureLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureLoop.class);
    static final long FIRST_BACKOFF_MILLIS = 500;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    static final int DEFAULT_MIN_REOPEN_INTERVAL_MS = 250;
    /** Changes waiting at once, from all clients; beyond, they are refused (a flood must not grow memory). */
    static final int MAX_WAITING = 4096;
    private static final long CHANGE_TIMEOUT_MILLIS = 15_000;
    private static final long NOTHING_DUE = Long.MAX_VALUE;
    private static final long WATCH_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Function<String, AudioSource> sources;
    private final List<ListenerSlot> slots = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Object lock = new Object();
    /** Guards the changes of {@link #active}, for {@link #awaitRelease}. */
    private final Object released = new Object();
    private final long startedNanos = System.nanoTime();
    /**
     * Completes the answers of reopens, in order: what clients do with an answer (a WebSocket
     * reply) must not run on the capture thread. Its one thread ends when idle.
     */
    private final Executor answers = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "earshot-config-answers");
        t.setDaemon(true);
        return t;
    });

    private final String stream;
    /** Before each log line of a stream other than main: which stream it is about. */
    private final String logPrefix;
    private volatile boolean running = true;
    private volatile String sourceId;
    /** The stream's own settings for its source; replaced with a switch. */
    private volatile SourceSettings settings;
    /** The capture being read, for its status; null between captures. */
    private volatile Capture reading;
    private volatile StreamConfig config;
    private volatile AudioSource active;
    private volatile String state = "starting";
    private volatile String lastError;
    /** Set when the capture must be reopened: another source, the source went away. Guarded by lock. */
    private boolean reopen;
    /** The source the loop looked up last (null: none was there); guarded by lock. */
    private AudioSource chosen;
    /** The values of the changes waiting, merged in the order they came; guarded by lock. */
    private final Map<String, Integer> waitingValues = new LinkedHashMap<>();
    /** The answers owed to the changes waiting; guarded by lock. */
    private final List<Waiting> waiting = new ArrayList<>();
    /** Counts the batches of waiting changes taken, so a timer set for one leaves the next alone. Guarded by lock. */
    private long batches;
    /** The config the capture thread is opening now, or null; guarded by lock. */
    private StreamConfig opening;
    /** Whether the capture thread is reading (an interrupt then means "look again"); guarded by lock. */
    private boolean capturing;
    /** When the last reopen began or ended, on the nanoTime clock; guarded by lock. */
    private long lastOpenNanos = System.nanoTime();
    /** When the waiting changes are due, NOTHING_DUE when none wait: read by the capture thread without the lock. */
    private volatile long dueNanos = NOTHING_DUE;
    private volatile long minReopenNanos;

    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong reopens = new AtomicLong();
    private final AtomicLong changesRequested = new AtomicLong();
    private final AtomicLong changesRefused = new AtomicLong();
    private final AtomicLong changesCoalesced = new AtomicLong();
    private final AtomicLong changeReopens = new AtomicLong();
    private volatile long longestWaitNanos;
    private volatile long nextSequence;
    private volatile long lostInSource;
    /** Why the stream runs another config than its configured one, or null. */
    private volatile String adjusted;
    private volatile long lastCaptureNanos;

    private record Waiting(CompletableFuture<ConfigChange> answer, long sinceNanos) {
    }

    /** Waiting changes taken by the capture thread: the config they make and their answers. */
    private record Batch(StreamConfig target, List<Waiting> answers) {
    }

    CaptureLoop(String sourceId, StreamConfig initial, Function<String, AudioSource> sources, long minReopenIntervalMillis) {
        this(SourceSettings.MAIN, sourceId, initial, sources, minReopenIntervalMillis);
    }

    /** The capture loop of the stream {@code settings.stream()}, whose source is opened with {@code settings}. */
    CaptureLoop(SourceSettings settings, String sourceId, StreamConfig initial, Function<String, AudioSource> sources,
                long minReopenIntervalMillis) {
        this.stream = settings.stream();
        this.logPrefix = Streams.MAIN.equals(stream) ? "" : "Stream " + stream + ": ";
        this.settings = settings;
        this.sourceId = sourceId;
        this.config = initial;
        this.sources = sources;
        minReopenInterval(minReopenIntervalMillis);
        // the main stream's thread keeps the name it always had
        this.thread = new Thread(this::run, Streams.MAIN.equals(stream) ? "earshot-capture" : "earshot-capture-" + stream);
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        synchronized (lock) {
            running = false;
            wake();
        }
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

    /** Least time between two reopens for config changes; taken by the next change. */
    void minReopenInterval(long millis) {
        minReopenNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }

    String sourceId() {
        return sourceId;
    }

    String stream() {
        return stream;
    }

    SourceSettings settings() {
        return settings;
    }

    /** What the capture being read says of itself (a simulation's truth); empty between captures. */
    Map<String, Object> captureStatus() {
        Capture capture = reading;
        if (capture == null) {
            return Map.of();
        }
        try {
            return capture.details();
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a capture built before 1.7 with a details() of its own that is not public
            return Map.of("status_error", e.toString());
        }
    }

    AudioSource activeSource() {
        return active;
    }

    /** The source the capture thread reads from now; each change is told to those awaiting a release. */
    private void active(AudioSource source) {
        synchronized (released) {
            active = source;
            released.notifyAll();
        }
    }

    /**
     * Waits until the capture thread no longer reads {@code source}, at most {@code millis}:
     * whether it let go.
     */
    boolean awaitRelease(AudioSource source, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (released) {
            while (active == source) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(released, left);
            }
            return true;
        }
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
        switchTo(newSourceId, wanted, settings);
    }

    /** As {@link #switchTo(String, StreamConfig)}, opening the source with new settings of the stream. */
    void switchTo(String newSourceId, StreamConfig wanted, SourceSettings newSettings) {
        synchronized (lock) {
            sourceId = newSourceId;
            settings = newSettings;
            if (wanted != null) {
                config = wanted;
            }
            reopen = true;
            wake();
        }
    }

    /**
     * Wakes the capture thread for a request just recorded; the caller holds the lock. The
     * interrupt is sent under the lock, so the capture thread, which clears its interrupt when it
     * takes the requests (under the lock too), never sees one whose request it has already taken:
     * such a late interrupt cut the next open short, and cut the retry wait after it to nothing.
     */
    private void wake() {
        lock.notifyAll();
        thread.interrupt();
    }

    /**
     * A source came or went: the capture thread looks again at what it should run, unless it
     * already has what the lookup gives now (a source bound while the loop was picking it up).
     */
    void sourcesChanged(AudioSource changed) {
        synchronized (lock) {
            if (sources.apply(sourceId) != chosen) {
                reopen = true;
                wake();
            }
        }
    }

    /** {@link #request} with all four values, waiting for its answer (which comes within CHANGE_TIMEOUT_MILLIS). */
    ConfigChange change(StreamConfig wanted) {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("rate", wanted.rate());
        values.put("channels", wanted.channels());
        values.put("buffer_frames", wanted.bufferFrames());
        values.put("volume", wanted.volume());
        return request(values).join();
    }

    /**
     * Checks the change merged with those waiting against the active source and refuses it at
     * once if the source cannot run that; else it joins the waiting changes and its answer comes
     * with the reopen that applies them. Never waits for the capture thread.
     */
    CompletableFuture<ConfigChange> request(Map<String, Integer> values) {
        changesRequested.incrementAndGet();
        AudioSource source = active;
        if (source == null) {
            return refusedAtOnce("no source is running (" + state + "); try again when it is");
        }
        SourceCapabilities capabilities = source.capabilities(settings);
        CompletableFuture<ConfigChange> answer = new CompletableFuture<>();
        synchronized (lock) {
            StreamConfig wanted;
            try {
                wanted = merged(merged(opening != null ? opening : config, waitingValues), values);
            } catch (IllegalArgumentException e) {
                return refusedAtOnce(e.getMessage());
            }
            Optional<String> problem = capabilities.problemWith(wanted);
            if (problem.isPresent()) {
                return refusedAtOnce(problem.get());
            }
            if (waiting.isEmpty() && opening == null && wanted.equals(config)) {
                return CompletableFuture.completedFuture(ConfigChange.applied(config));
            }
            if (waiting.size() >= MAX_WAITING) {
                return refusedAtOnce(MAX_WAITING + " changes are already waiting for the source to reopen; try again");
            }
            if (!waiting.isEmpty()) {
                changesCoalesced.incrementAndGet();
            }
            waitingValues.putAll(values);
            waiting.add(new Waiting(answer, System.nanoTime()));
            if (waiting.size() == 1) {
                dueNanos = lastOpenNanos + minReopenNanos;
                if (capturing && System.nanoTime() >= dueNanos) {
                    thread.interrupt(); // the last reopen is long enough ago: at once, as a single change should be
                }
                watch(batches);
            }
            lock.notifyAll();
        }
        return answer.orTimeout(CHANGE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).exceptionally(e ->
                ConfigChange.refused(config, "the source did not reopen within " + CHANGE_TIMEOUT_MILLIS + " ms"));
    }

    private CompletableFuture<ConfigChange> refusedAtOnce(String reason) {
        changesRefused.incrementAndGet();
        return CompletableFuture.completedFuture(ConfigChange.refused(config, reason));
    }

    private static StreamConfig merged(StreamConfig base, Map<String, Integer> values) {
        for (Map.Entry<String, Integer> value : values.entrySet()) {
            base = base.with(value.getKey(), value.getValue());
        }
        return base;
    }

    /**
     * For a source that stops delivering while changes wait: the capture thread reopens at the
     * end of a buffer, and if none has ended one and a half periods after the changes were due,
     * the read is interrupted. Runs on the JDK's timer thread, again while the batch waits.
     */
    private void watch(long batch) {
        long backstop = Math.max(dueNanos + config.periodNanos() * 3 / 2,
                System.nanoTime() + Math.max(config.periodNanos(), WATCH_FLOOR_NANOS));
        CompletableFuture.delayedExecutor(backstop - System.nanoTime(), TimeUnit.NANOSECONDS, Runnable::run).execute(() -> {
            synchronized (lock) {
                if (!running || batch != batches || waiting.isEmpty()) {
                    return;
                }
                if (capturing && System.nanoTime() >= dueNanos + config.periodNanos() * 3 / 2) {
                    thread.interrupt();
                }
                watch(batch);
            }
        });
    }

    private void run() {
        long backoff = 0;
        AudioSource backoffSource = null;
        while (running) {
            Batch change;
            AudioSource source;
            synchronized (lock) {
                Thread.interrupted(); // what the interrupts so far asked for is taken here
                change = takeChanges();
                source = sources.apply(sourceId);
                chosen = source;
            }
            if (source == null) {
                state = "waiting for source '" + sourceId + "'";
                active(null);
                opened(false);
                if (change != null) {
                    answer(change, ConfigChange.refused(config, "source '" + sourceId + "' is not available"));
                }
                awaitWakeUp(0);
                continue;
            }
            SourceSettings opened = settings;
            StreamConfig target = change != null ? change.target : fit(source.capabilities(opened), config);
            Capture capture;
            state = "opening source '" + sourceId + "'";
            try {
                capture = source.open(target, opened);
            } catch (SourceException | RuntimeException e) {
                String reason = e.getMessage() != null ? e.getMessage() : e.toString();
                failures.incrementAndGet();
                opened(false);
                if (change != null) {
                    LOG.warn("{}Source {} refused {}: {}; keeping {}", logPrefix, sourceId, target, reason, config);
                    answer(change, ConfigChange.refused(config, reason));
                    continue; // reopen with the old config right away
                }
                active(null);
                lastError = reason;
                if (source != backoffSource) {
                    backoff = 0; // a new source (or a new instance of it) has not failed yet
                    backoffSource = source;
                }
                backoff = backoff == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                state = "source '" + sourceId + "' failed, retrying in " + backoff + " ms";
                LOG.warn("{}Source {} could not open {}: {}; retrying in {} ms", logPrefix, sourceId, target, reason, backoff);
                retryAfter(backoff);
                continue;
            }
            config = target;
            active(source);
            state = "running";
            for (ListenerSlot slot : slots) {
                slot.announce(target); // at once, not only with the first buffer
            }
            reopens.incrementAndGet();
            opened(true);
            if (change != null) {
                changeReopens.incrementAndGet();
                answer(change, ConfigChange.applied(target));
                LOG.info("{}Stream reconfigured: {}", logPrefix, target);
            }
            reading = capture;
            try {
                captureUntilReopen(capture, target);
                backoff = 0;
            } catch (SourceException | RuntimeException e) {
                failures.incrementAndGet();
                lastError = e.getMessage() != null ? e.getMessage() : e.toString();
                if (source != backoffSource) {
                    backoff = 0;
                    backoffSource = source;
                }
                backoff = backoff == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                LOG.warn("{}Source {} failed while capturing: {}; retrying in {} ms", logPrefix, sourceId, lastError, backoff);
                state = "source '" + sourceId + "' failed, retrying in " + backoff + " ms";
                reading = null;
                closeQuietly(capture);
                retryAfter(backoff);
                continue;
            }
            reading = null;
            closeQuietly(capture);
        }
        active(null);
        state = "stopped";
        Batch left;
        synchronized (lock) {
            left = new Batch(config, new ArrayList<>(waiting));
            waiting.clear();
        }
        answer(left, ConfigChange.refused(config, "the stream stopped"));
    }

    /**
     * Takes the waiting changes when they are due, or when the stream reopens anyway (another
     * source), so they go with it; null when there are none to take.
     */
    private Batch takeChanges() {
        synchronized (lock) {
            boolean forced = reopen;
            reopen = false;
            capturing = false;
            if (waiting.isEmpty() || !forced && System.nanoTime() < dueNanos) {
                return null;
            }
            Batch batch = takeWaiting();
            opening = batch.target;
            lastOpenNanos = System.nanoTime();
            return batch;
        }
    }

    /** Guarded by lock. The target is made on the config running now: keys not named keep its values. */
    private Batch takeWaiting() {
        StreamConfig target = merged(config, waitingValues);
        Batch batch = new Batch(target, new ArrayList<>(waiting));
        waiting.clear();
        waitingValues.clear();
        batches++;
        dueNanos = NOTHING_DUE;
        return batch;
    }

    /** An open was tried: the next change is due an interval from now. */
    private void opened(boolean reading) {
        synchronized (lock) {
            opening = null;
            capturing = reading;
            lastOpenNanos = System.nanoTime();
            if (!waiting.isEmpty()) {
                dueNanos = lastOpenNanos + minReopenNanos;
            }
        }
    }

    private void answer(Batch batch, ConfigChange answer) {
        long now = System.nanoTime();
        for (Waiting w : batch.answers) {
            longestWaitNanos = Math.max(longestWaitNanos, now - w.sinceNanos);
        }
        answers.execute(() -> batch.answers.forEach(w -> w.answer.complete(answer)));
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
            AudioBuffer buffer = new AudioBuffer(stream, target, nextSequence++, captureNanos, samples);
            lastCaptureNanos = captureNanos;
            captured.incrementAndGet();
            for (ListenerSlot slot : slots) {
                slot.offer(buffer);
            }
            // at the end of a buffer, so a reopen for waiting changes cuts no audio
            if ((Thread.currentThread().isInterrupted() || System.nanoTime() >= dueNanos) && mustReopen()) {
                return;
            }
        }
    }

    /**
     * Whether to close and reopen now. Waiting changes that are due but leave the config as it
     * runs (they cancelled out) are answered here, without a reopen.
     */
    private boolean mustReopen() {
        Batch unchanged;
        synchronized (lock) {
            if (!running || reopen) {
                capturing = false;
                return true;
            }
            if (waiting.isEmpty() || System.nanoTime() < dueNanos) {
                return false;
            }
            if (!merged(config, waitingValues).equals(config)) {
                capturing = false;
                return true;
            }
            unchanged = takeWaiting();
        }
        answer(unchanged, ConfigChange.applied(config));
        return false;
    }

    /** Waits out a retry's delay; a request (another source or config, stop) ends it early, and the log says so. */
    private void retryAfter(long millis) {
        long started = System.nanoTime();
        if (awaitWakeUp(millis) && running) {
            LOG.info("{}Source {}: trying again after {} ms instead of {}: the source or the config changed", logPrefix, sourceId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), millis);
        }
    }

    /**
     * Waits up to {@code millis} (0: without limit) for a reason to reopen: a switch, a stop, or
     * changes due. Only such a request ends the wait early: an interrupt is a hint to look, and a
     * spurious wake-up is none.
     *
     * @return whether a request ended it
     */
    private boolean awaitWakeUp(long millis) {
        long until = millis == 0 ? NOTHING_DUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            while (running && !reopen) {
                long now = System.nanoTime();
                boolean changesDue = !waiting.isEmpty() && now >= dueNanos;
                if (changesDue) {
                    return true;
                }
                long left = Math.min(until, waiting.isEmpty() ? NOTHING_DUE : dueNanos) - now;
                if (left <= 0) {
                    return false;
                }
                try {
                    if (left > TimeUnit.DAYS.toNanos(1)) {
                        lock.wait();
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                } catch (InterruptedException e) {
                    // look at the requests again
                }
            }
            return true;
        }
    }

    /** The configured stream if the source can run it, else the nearest it can, said in the status. */
    private StreamConfig fit(SourceCapabilities capabilities, StreamConfig wanted) {
        if (capabilities.problemWith(wanted).isEmpty()) {
            adjusted = null;
            return wanted;
        }
        StreamConfig closest = capabilities.closest(wanted);
        adjusted = "the source cannot run the configured " + describe(wanted) + " (" + capabilities.problemWith(wanted).orElse("")
                + "); running " + describe(closest);
        LOG.info("{}The source cannot run {} ({}); using {}", logPrefix, wanted,
                capabilities.problemWith(wanted).orElse(""), closest);
        return closest;
    }

    private static String describe(StreamConfig config) {
        return config.rate() + " Hz, " + config.channels() + " channels, " + config.bufferFrames() + " frames";
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
        if (adjusted != null) status.put("config_adjusted", adjusted);
        long last = lastCaptureNanos;
        status.put("last_capture_ms_ago", last == 0 ? null : (System.currentTimeMillis() * 1_000_000L - last) / 1_000_000L);
        status.put("uptime_s", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        return status;
    }

    /** Config changes: how many came, were refused at once, merged into others, and the reopens they cost. */
    Map<String, Object> changesStatus() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("min_reopen_interval_ms", TimeUnit.NANOSECONDS.toMillis(minReopenNanos));
        status.put("requested", changesRequested.get());
        status.put("refused_at_once", changesRefused.get());
        status.put("coalesced", changesCoalesced.get());
        status.put("reopens", changeReopens.get());
        synchronized (lock) {
            status.put("waiting", waiting.size());
        }
        status.put("longest_wait_ms", TimeUnit.NANOSECONDS.toMillis(longestWaitNanos));
        return status;
    }
}
