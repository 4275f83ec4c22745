package io.earshot.ingest.browser.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import io.earshot.api.Capture;
import io.earshot.api.StreamConfig;

/**
 * The browser source, open: paced by its own clock, each buffer is the talks' samples of that
 * period (mixed, or the first talk's) or silence. A talk is heard once one buffer and the cushion
 * of it are in, so the network's jitter does not cut holes into it; one that runs dry is
 * silence until its cushion is in again; an ended talk is played out to its last sample.
 */
final class BrowserCapture implements Capture {

    /** Behind by more than this (and four periods), the periods missed are lost, counted, instead of caught up in a burst. */
    private static final long MAX_LAG_NANOS = 250_000_000L;

    private final Talks talks;
    private final boolean firstOnly;
    private final int rate;
    private final int frames;
    private final int primeSamples;
    private final int[] mix;
    private final long wallAtStartNanos = Capture.epochNanos(Instant.now());
    private final long monotonicAtStart = System.nanoTime();
    private long anchorNanos = monotonicAtStart;
    private long periods;
    private volatile long lost;

    BrowserCapture(StreamConfig config, Talks talks, boolean firstOnly, int cushionMs) {
        this.talks = talks;
        this.firstOnly = firstOnly;
        this.rate = config.rate();
        this.frames = config.bufferFrames();
        this.primeSamples = frames + (int) ((long) rate * cushionMs / 1000);
        this.mix = new int[frames];
        talks.listening(rate);
    }

    private long offsetNanos(long n) {
        long f = n * frames;
        return f / rate * 1_000_000_000L + f % rate * 1_000_000_000L / rate;
    }

    @Override
    public long read(short[] into) throws InterruptedException {
        long deadline = anchorNanos + offsetNanos(periods + 1);
        long lag = System.nanoTime() - deadline;
        if (lag > Math.max(offsetNanos(4), MAX_LAG_NANOS)) {
            lost += lag * rate / (frames * 1_000_000_000L);
            anchorNanos = System.nanoTime() - offsetNanos(1);
            periods = 0;
            deadline = anchorNanos + offsetNanos(1);
        }
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            if (Thread.interrupted()) throw new InterruptedException();
            LockSupport.parkNanos(left);
        }
        if (Thread.interrupted()) throw new InterruptedException();
        periods++;
        fill(into);
        return wallAtStartNanos + (deadline - monotonicAtStart);
    }

    private void fill(short[] into) {
        Arrays.fill(mix, 0);
        boolean heard = false;
        for (Talk talk : talks.current()) {
            SampleRing ring = talk.ring;
            if (ring == null || ring.rate != rate) continue; // nothing sent since the source opened
            int available = ring.available();
            if (!talk.playing && (available >= primeSamples || talk.ended && available > 0)) talk.playing = true;
            if (talk.playing) {
                int n = Math.min(available, frames);
                if (firstOnly && heard) {
                    ring.skip(n); // first come: a later talk is not heard while the first one lasts
                } else {
                    ring.mixInto(mix, n);
                    heard = true;
                }
                if (n < frames) talk.playing = false; // ran dry: silence until its cushion is in again
            } else if (firstOnly && heard) {
                ring.skip(available);
            }
            if (talk.ended && ring.available() == 0) talks.drained(talk);
        }
        for (int i = 0; i < frames; i++) {
            into[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mix[i]));
        }
    }

    @Override
    public long lostBuffers() {
        return lost;
    }

    @Override
    public void close() {
        talks.listening(0);
    }
}
