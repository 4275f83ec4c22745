package io.earshot.source.synthetic.internal;

/**
 * Paces buffers in real time without drift: the deadline of buffer n is computed from the
 * start as an exact count of frames, never by adding rounded periods. A reader that falls more
 * than {@link #MAX_LAG_PERIODS} periods and {@link #MAX_LAG_NANOS} behind loses those periods
 * (counted) and the clock re-anchors, instead of bursting to catch up. The time bound keeps short
 * periods (256 frames = 5 ms) from counting a scheduling hiccup on a busy machine as a loss.
 */
final class PeriodClock {

    static final int MAX_LAG_PERIODS = 4;
    static final long MAX_LAG_NANOS = 250_000_000L;

    /** Monotonic time and sleeping, replaceable in tests. */
    interface Ticker {
        long nanoTime();

        void sleepUntil(long deadlineNanos) throws InterruptedException;
    }

    static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                if (Thread.interrupted()) throw new InterruptedException();
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
            if (Thread.interrupted()) throw new InterruptedException();
        }
    };

    private final Ticker ticker;
    private final long framesPerPeriod;
    private final long rate;
    private long anchorNanos;
    /** Periods completed since the anchor. */
    private long periods;
    private long lost;

    PeriodClock(Ticker ticker, int framesPerPeriod, int rate) {
        this.ticker = ticker;
        this.framesPerPeriod = framesPerPeriod;
        this.rate = rate;
        this.anchorNanos = ticker.nanoTime();
    }

    /** Nanoseconds from the anchor to the end of period {@code n}: exact floor, no overflow for any realistic n. */
    long offsetNanos(long n) {
        long frames = n * framesPerPeriod;
        return frames / rate * 1_000_000_000L + frames % rate * 1_000_000_000L / rate;
    }

    /**
     * Waits for the end of the next period.
     *
     * @return the monotonic time of that end
     */
    long awaitNext() throws InterruptedException {
        long deadline = anchorNanos + offsetNanos(periods + 1);
        long now = ticker.nanoTime();
        long lag = now - deadline;
        if (lag > Math.max(offsetNanos(MAX_LAG_PERIODS), MAX_LAG_NANOS)) {
            long behind = lag * rate / (framesPerPeriod * 1_000_000_000L);
            lost += behind;
            anchorNanos = now - offsetNanos(1);
            periods = 0;
            deadline = now;
        }
        ticker.sleepUntil(deadline);
        periods++;
        return deadline;
    }

    /** Periods skipped because the reader was too far behind. */
    long lost() {
        return lost;
    }
}
