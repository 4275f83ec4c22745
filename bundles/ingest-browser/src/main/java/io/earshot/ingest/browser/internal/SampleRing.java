package io.earshot.ingest.browser.internal;

/**
 * A talk's samples on their way to the source: one producer (the talk's WebSocket session), one
 * consumer (the hub's capture thread), no lock, so the capture thread never waits for a talker.
 * Full, it drops what does not fit (counted by the caller), never blocks.
 */
final class SampleRing {

    /** The rate of the samples in it: the browser source's when it was made. */
    final int rate;
    private final short[] ring;
    private volatile long written;
    private volatile long read;

    SampleRing(int rate, int capacity) {
        this.rate = rate;
        ring = new short[capacity];
    }

    /** Producer: copies what fits of {@code length} samples; returns how many did not fit. */
    int offer(short[] samples, int offset, int length) {
        long w = written;
        int n = (int) Math.min(length, ring.length - (w - read));
        int at = (int) (w % ring.length), first = Math.min(n, ring.length - at);
        System.arraycopy(samples, offset, ring, at, first);
        System.arraycopy(samples, offset + first, ring, 0, n - first);
        written = w + n;
        return length - n;
    }

    /** Consumer: samples waiting. */
    int available() {
        return (int) (written - read);
    }

    /** Consumer: adds the next {@code count} samples to {@code into} (at most {@link #available()}). */
    void mixInto(int[] into, int count) {
        long r = read;
        for (int i = 0, at = (int) (r % ring.length); i < count; i++, at = at + 1 == ring.length ? 0 : at + 1) into[i] += ring[at];
        read = r + count;
    }

    /** Consumer: drops the next {@code count} samples. */
    void skip(int count) {
        read += count;
    }

    /** Consumer: drops everything waiting. */
    void clear() {
        read = written;
    }
}
