package io.earshot.hub.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.ConfigChange;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

public class CaptureLoopTest {

    private static final StreamConfig START = new StreamConfig(48000, 2, 64, 80);

    /** A source paced at one buffer per millisecond that writes its sequence into every sample. */
    static final class CountingSource implements AudioSource {
        final String id;
        final AtomicInteger opens = new AtomicInteger();
        volatile int failOpens;
        volatile long lostEvery;
        /** Reads block until interrupted, as a device that stopped delivering. */
        volatile boolean stalled;

        CountingSource(String id) { this.id = id; }
        @Override public String id() { return id; }
        @Override public String label() { return "test source"; }
        @Override public SourceCapabilities capabilities() {
            return new SourceCapabilities(List.of(16000, 48000), List.of(1, 2, 4), 16, 1024);
        }
        @Override public Capture open(StreamConfig config) throws SourceException {
            if (failOpens > 0) {
                failOpens--;
                throw new SourceException("device test: not plugged in");
            }
            opens.incrementAndGet();
            return new Capture() {
                long reads, lost;
                @Override public long read(short[] into) throws InterruptedException {
                    Thread.sleep(stalled ? Long.MAX_VALUE : 1);
                    reads++;
                    if (lostEvery > 0 && reads % lostEvery == 0) lost++;
                    java.util.Arrays.fill(into, (short) reads);
                    return System.currentTimeMillis() * 1_000_000L;
                }
                @Override public long lostBuffers() { return lost; }
                @Override public void close() { }
            };
        }
    }

    static final class Recording implements AudioListener {
        final List<Object> events = new CopyOnWriteArrayList<>();
        @Override public void onConfig(StreamConfig config) { events.add(config); }
        @Override public void onBuffer(AudioBuffer buffer) { events.add(buffer); }
        long buffers() { return events.stream().filter(e -> e instanceof AudioBuffer).count(); }
    }

    private final Map<String, AudioSource> sources = new ConcurrentHashMap<>();
    private final CountingSource source = new CountingSource("counting");
    private final CaptureLoop loop = new CaptureLoop("counting", START, sources::get, 0);

    @After
    public void stop() throws InterruptedException {
        loop.stop();
    }

    private ListenerSlot slot(String name, AudioListener listener, int queue) {
        ListenerSlot slot = new ListenerSlot(name, listener, queue);
        slot.start();
        loop.add(slot);
        return slot;
    }

    private static Map<String, Integer> values(Object... keysAndValues) {
        Map<String, Integer> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) values.put((String) keysAndValues[i], (Integer) keysAndValues[i + 1]);
        return values;
    }

    /** Starts the loop with that interval and a listener recording all, once buffers flow. */
    private Recording startRecording(long minReopenIntervalMillis) throws InterruptedException {
        loop.minReopenInterval(minReopenIntervalMillis);
        Recording recording = new Recording();
        slot("rec", recording, 4096);
        sources.put(source.id(), source);
        loop.start();
        await("buffers", () -> recording.buffers() >= 5);
        return recording;
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    public void aSourceThatGoesIsReleasedBeforeAwaitReleaseReturns() throws Exception {
        startRecording(0);
        assertEquals(source, loop.activeSource());
        assertFalse("still read: the wait ends at its timeout", loop.awaitRelease(source, 20));
        sources.remove(source.id());
        loop.sourcesChanged(source);
        assertTrue(loop.awaitRelease(source, 10_000));
        assertNull(loop.activeSource());
        assertTrue(loop.status().get("state").toString().startsWith("waiting for source"));
    }

    @Test
    public void waitsForTheSourceThenDeliversConfigBeforeBuffers() throws Exception {
        Recording recording = new Recording();
        slot("rec", recording, 64);
        loop.start();
        Thread.sleep(50);
        assertTrue(recording.events.isEmpty());
        assertTrue(loop.status().get("state").toString().startsWith("waiting for source"));

        sources.put(source.id(), source);
        loop.sourcesChanged(source);
        await("buffers", () -> recording.buffers() >= 10);
        assertEquals(START, recording.events.get(0));
        AudioBuffer first = (AudioBuffer) recording.events.get(1);
        assertEquals(0, first.sequence());
    }

    @Test
    public void newValuesFromTheConfigurationFileReopenTheStreamFittedToTheSource() throws Exception {
        Recording recording = new Recording();
        slot("rec", recording, 256);
        sources.put(source.id(), source);
        loop.start();
        await("buffers", () -> recording.buffers() >= 5);

        loop.switchTo("counting", new StreamConfig(16000, 3, 128, 50)); // 3 channels: not offered
        StreamConfig fitted = new StreamConfig(16000, 2, 128, 50);
        await("the new config", () -> recording.events.contains(fitted));
        await("buffers of it", () -> recording.events.get(recording.events.size() - 1) instanceof AudioBuffer b
                && b.config().equals(fitted));
        assertEquals(fitted, loop.config());
        assertEquals(2, source.opens.get());
    }

    @Test
    public void aListenerIsLookedUpOnItsOwnThreadAndReleasedWhenItsSlotCloses() throws Exception {
        Recording recording = new Recording();
        List<String> lookups = new CopyOnWriteArrayList<>();
        CountDownLatch released = new CountDownLatch(1);
        ListenerSlot slot = new ListenerSlot("lazy", "main", 42, () -> {
            lookups.add(Thread.currentThread().getName());
            return recording;
        }, released::countDown, 64);
        slot.start();
        loop.add(slot);
        sources.put(source.id(), source);
        loop.start();
        await("buffers", () -> recording.buffers() >= 5);
        assertEquals(List.of("earshot-listener-lazy"), lookups);
        loop.remove(slot);
        slot.close();
        assertTrue("released", released.await(5, TimeUnit.SECONDS));
    }

    @Test
    public void aBlockedListenerLosesBuffersAloneWhileOthersGetEveryOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ListenerSlot blocked = slot("blocked", buffer -> {
            try { release.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }, 4);
        Recording healthy = new Recording();
        ListenerSlot good = slot("healthy", healthy, 256);
        sources.put(source.id(), source);
        loop.start();
        await("200 buffers", () -> healthy.buffers() >= 200);

        assertTrue("the blocked listener drops", blocked.dropped() > 150);
        assertEquals(0, good.dropped());
        long previous = -1;
        for (Object event : healthy.events) {
            if (event instanceof AudioBuffer buffer) {
                assertEquals("no gap for the healthy listener", previous + 1, buffer.sequence());
                previous = buffer.sequence();
            }
        }
        release.countDown();
    }

    @Test
    public void aThrowingListenerIsCountedAndKeepsReceiving() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ListenerSlot thrower = slot("thrower", buffer -> {
            calls.incrementAndGet();
            throw new IllegalStateException("plugin bug");
        }, 16);
        sources.put(source.id(), source);
        loop.start();
        await("50 calls", () -> calls.get() >= 50);
        assertTrue(thrower.failed() >= 50);
    }

    @Test
    public void aChangeIsAppliedAndAnnouncedBeforeTheNewBuffers() throws Exception {
        Recording recording = new Recording();
        slot("rec", recording, 1024);
        sources.put(source.id(), source);
        loop.start();
        await("buffers", () -> recording.buffers() >= 5);

        StreamConfig wanted = new StreamConfig(16000, 4, 128, 50);
        ConfigChange change = loop.change(wanted);
        assertTrue(change.error(), change.applied());
        assertEquals(wanted, loop.config());
        await("new buffers", () -> recording.events.get(recording.events.size() - 1) instanceof AudioBuffer b
                && b.config().equals(wanted));
        int announced = recording.events.indexOf(wanted);
        assertTrue(announced > 0);
        for (int i = announced + 1; i < recording.events.size(); i++) {
            AudioBuffer buffer = (AudioBuffer) recording.events.get(i);
            assertEquals(wanted, buffer.config());
            assertEquals(4 * 128, buffer.samples().remaining());
        }
        assertEquals(2, source.opens.get());
    }

    @Test
    public void anUnsupportedChangeIsRefusedWithTheReasonAndTheStreamGoesOn() throws Exception {
        Recording recording = new Recording();
        slot("rec", recording, 1024);
        sources.put(source.id(), source);
        loop.start();
        await("buffers", () -> recording.buffers() >= 5);

        ConfigChange change = loop.change(START.withChannels(3));
        assertFalse(change.applied());
        assertEquals("channels 3 is not supported; allowed: [1, 2, 4]", change.error());
        assertEquals(START, change.config());
        long before = recording.buffers();
        await("more buffers", () -> recording.buffers() > before + 5);
        assertEquals(1, source.opens.get());
    }

    @Test
    public void aFailingSourceIsRetriedAndLostBuffersShowAsGaps() throws Exception {
        source.failOpens = 2;
        source.lostEvery = 10;
        Recording recording = new Recording();
        slot("rec", recording, 1024);
        sources.put(source.id(), source);
        loop.start();
        await("buffers after retries", () -> recording.buffers() >= 30);
        assertEquals(2L, loop.status().get("failures"));
        long gaps = 0, previous = -1;
        for (Object event : recording.events) {
            if (event instanceof AudioBuffer buffer) {
                if (previous >= 0 && buffer.sequence() != previous + 1) gaps++;
                previous = buffer.sequence();
            }
        }
        assertTrue("lost buffers appear as gaps", gaps >= 2);
    }

    /**
     * Each open is interrupted and sees its own source bound again, as when SCR binds the source
     * the loop is opening (the hub's start): neither is a request, so each retry still waits the
     * delay the status states. Before, the second attempt came 2 ms after "retrying in 500 ms".
     */
    @Test
    public void aRetryWaitsTheDelayItStates() throws Exception {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        AudioSource failing = new AudioSource() {
            @Override public String id() { return "failing"; }
            @Override public String label() { return "a device that is not plugged in"; }
            @Override public SourceCapabilities capabilities() { return source.capabilities(); }
            @Override public Capture open(StreamConfig config) throws SourceException {
                attempts.add(System.nanoTime());
                loop.sourcesChanged(this);
                Thread.currentThread().interrupt();
                throw new SourceException("device test: not plugged in");
            }
        };
        sources.put(failing.id(), failing);
        loop.switchTo("failing");
        loop.start();
        for (int attempt = 1; attempt <= 3; attempt++) {
            int done = attempt;
            await("attempt " + attempt, () -> attempts.size() >= done);
            if (attempt == 3) break;
            await("the stated delay", () -> loop.status().get("state").toString().contains("retrying in") || attempts.size() > done);
            String state = loop.status().get("state").toString();
            long stated = Long.parseLong(state.replaceAll(".*retrying in (\\d+) ms.*", "$1"));
            assertEquals(500L << (attempt - 1), stated);
            await("attempt " + (attempt + 1), () -> attempts.size() > done);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(attempts.get(attempt) - attempts.get(attempt - 1));
            assertTrue("attempt " + (attempt + 1) + " came " + waitedMillis + " ms after " + state, waitedMillis >= stated - 5);
        }
    }
    @Test
    public void changesComingFasterThanTheSourceReopensAreMergedKeyByKeyAndEachIsAnswered() throws Exception {
        long started = System.nanoTime();
        Recording recording = startRecording(1000);

        int before = recording.events.size();
        List<CompletableFuture<ConfigChange>> answers = List.of(
                loop.request(values("rate", 16000)),
                loop.request(values("channels", 4)),
                loop.request(values("rate", 48000, "volume", 50)),
                loop.request(values("rate", 16000)));
        StreamConfig merged = new StreamConfig(16000, 4, 64, 50);
        for (CompletableFuture<ConfigChange> answer : answers) {
            assertEquals(ConfigChange.applied(merged), answer.get(10, TimeUnit.SECONDS));
        }
        assertTrue("not before the interval since the first open",
                System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(990));
        assertEquals("one reopen for all four", 2, source.opens.get());
        List<Object> events = List.copyOf(recording.events); // a sublist of the live list breaks when a buffer arrives
        long oldBuffersWhileWaiting = events.subList(before, events.indexOf(merged)).stream()
                .filter(e -> e instanceof AudioBuffer b && b.config().equals(START)).count();
        assertTrue("the stream ran on while the changes waited: " + oldBuffersWhileWaiting, oldBuffersWhileWaiting > 50);
        Map<String, Object> changes = loop.changesStatus();
        assertEquals(4L, changes.get("requested"));
        assertEquals(3L, changes.get("coalesced"));
        assertEquals(1L, changes.get("reopens"));
        assertEquals(0, changes.get("waiting"));
    }

    @Test
    public void aRefusedChangeIsAnsweredAtOnceAndLeavesTheWaitingOnesAsTheyWere() throws Exception {
        startRecording(1500);

        CompletableFuture<ConfigChange> waiting = loop.request(values("channels", 4));
        CompletableFuture<ConfigChange> unsupported = loop.request(values("channels", 3));
        CompletableFuture<ConfigChange> impossible = loop.request(values("volume", 101));
        assertTrue(unsupported.isDone());
        assertEquals(ConfigChange.refused(START, "channels 3 is not supported; allowed: [1, 2, 4]"), unsupported.join());
        assertTrue(impossible.isDone());
        assertEquals(ConfigChange.refused(START, "volume must be 0..100, got 101"), impossible.join());
        assertEquals(ConfigChange.applied(START.withChannels(4)), waiting.get(10, TimeUnit.SECONDS));
        assertEquals(2L, loop.changesStatus().get("refused_at_once"));
    }

    @Test
    public void changesThatCancelOutAreAnsweredWithoutAReopen() throws Exception {
        startRecording(500);

        CompletableFuture<ConfigChange> there = loop.request(values("rate", 16000));
        CompletableFuture<ConfigChange> back = loop.request(values("rate", START.rate()));
        assertEquals(ConfigChange.applied(START), there.get(10, TimeUnit.SECONDS));
        assertEquals(ConfigChange.applied(START), back.get(10, TimeUnit.SECONDS));
        assertEquals(1, source.opens.get());
        assertEquals(0L, loop.changesStatus().get("reopens"));
    }

    @Test
    public void aWaitingChangeDoesNotWaitForASourceThatStoppedDelivering() throws Exception {
        Recording recording = startRecording(300);
        source.stalled = true;
        Thread.sleep(50); // the reads block now: no buffer will end to reopen after

        CompletableFuture<ConfigChange> change = loop.request(values("rate", 16000));
        source.stalled = false;
        assertEquals(ConfigChange.applied(START.withRate(16000)), change.get(10, TimeUnit.SECONDS));
        await("buffers of the new config", () -> recording.events.get(recording.events.size() - 1) instanceof AudioBuffer b
                && b.config().rate() == 16000);
    }

    @Test
    public void beyondTheWaitingLimitChangesAreRefusedAtOnceAndStopAnswersTheWaitingOnes() throws Exception {
        startRecording(60_000);

        List<CompletableFuture<ConfigChange>> waiting = new ArrayList<>();
        for (int i = 0; i < CaptureLoop.MAX_WAITING; i++) {
            waiting.add(loop.request(values("volume", i % 2 == 0 ? 10 : 20)));
        }
        CompletableFuture<ConfigChange> oneTooMany = loop.request(values("volume", 30));
        assertTrue(oneTooMany.isDone());
        assertFalse(oneTooMany.join().applied());
        assertTrue(oneTooMany.join().error(), oneTooMany.join().error().contains("4096 changes are already waiting"));
        assertEquals(CaptureLoop.MAX_WAITING, loop.changesStatus().get("waiting"));
        assertFalse(waiting.get(0).isDone());

        loop.stop();
        for (CompletableFuture<ConfigChange> answer : waiting) {
            assertEquals(ConfigChange.refused(START, "the stream stopped"), answer.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    public void aNewSourceStartsItsBackoffAfresh() throws Exception {
        source.failOpens = Integer.MAX_VALUE;
        sources.put(source.id(), source);
        loop.start();
        // 0.5 s, then 1 s: the failing source is at 2 s now, and would be at 4 s next
        await("the backoff grown", () -> loop.status().get("state").toString().endsWith("retrying in 2000 ms"));

        CountingSource other = new CountingSource("other");
        other.failOpens = 1;
        sources.put(other.id(), other);
        long switched = System.nanoTime();
        loop.switchTo("other");
        await("the other source capturing", () -> other.opens.get() == 1);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - switched);
        assertTrue("retried after its own first backoff (500 ms), not the old source's: " + millis + " ms", millis < 2000);
    }
}
