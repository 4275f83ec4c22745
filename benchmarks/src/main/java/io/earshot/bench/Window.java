package io.earshot.bench;

import java.time.Instant;

/**
 * The measure window, in wall-clock nanoseconds since the Unix epoch (the clock of the header's
 * capture time), and the tool's wall clock.
 * <p>
 * A buffer belongs to the window when its <em>capture</em> time lies in [start, end): every
 * client is judged on the same buffers, whatever its delivery delay. Buffers captured inside the
 * window that arrive after its end still count (see the grace period in {@link FanoutLoad});
 * {@link #freeze()} ends all recording.
 */
public final class Window {

    private final long wallBase;
    private final long nanoBase;

    private volatile long start = Long.MAX_VALUE;
    private volatile long end = Long.MAX_VALUE;
    private volatile boolean frozen;

    public Window() {
        // bracket the wall clock read with two monotonic reads to halve the offset error
        long before = System.nanoTime();
        Instant now = Instant.now();
        long after = System.nanoTime();
        wallBase = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        nanoBase = before + (after - before) / 2;
    }

    /** For tests: a window with a fixed wall clock origin. */
    Window(long wallBase, long nanoBase) {
        this.wallBase = wallBase;
        this.nanoBase = nanoBase;
    }

    /** Wall-clock nanoseconds since the epoch at monotonic time {@code nanoTime}; no allocation. */
    public long wallNanos(long nanoTime) {
        return wallBase + (nanoTime - nanoBase);
    }

    public long nowWallNanos() {
        return wallNanos(System.nanoTime());
    }

    /** The monotonic time of wall clock instant {@code wallNanos}. */
    public long nanoTimeAt(long wallNanos) {
        return nanoBase + (wallNanos - wallBase);
    }

    public void set(long startWallNanos, long endWallNanos) {
        end = endWallNanos;
        start = startWallNanos;
    }

    public long start() { return start; }

    public long end() { return end; }

    public double seconds() { return (end - start) / 1e9; }

    public void freeze() { frozen = true; }

    public boolean frozen() { return frozen; }
}
