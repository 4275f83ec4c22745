package io.earshot.source.synthetic.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class PeriodClockTest {

    /** Time that only moves when the clock sleeps (or when the test says so). */
    static final class FakeTicker implements PeriodClock.Ticker {
        long now = 1_000;

        @Override public long nanoTime() { return now; }

        @Override public void sleepUntil(long deadline) { now = Math.max(now, deadline); }
    }

    @Test
    public void deadlinesAreExactFrameCountsWithNoDrift() throws Exception {
        FakeTicker ticker = new FakeTicker();
        PeriodClock clock = new PeriodClock(ticker, 441, 44100); // 10 ms exactly
        long last = 0;
        for (int i = 0; i < 1_000_000; i++) {
            last = clock.awaitNext();
        }
        assertEquals(1_000 + 1_000_000L * 10_000_000L, last);

        ticker = new FakeTicker();
        clock = new PeriodClock(ticker, 4096, 22050); // 185.759637... ms, not a whole number of ns
        for (int i = 0; i < 1_000_000; i++) {
            last = clock.awaitNext();
        }
        // 4096e6 frames / 22050 Hz = 185759.6371882086 s, floored to the nanosecond
        assertEquals(1_000 + 185_759_637_188_208L, last);
        assertEquals(0, clock.lost());
    }

    @Test
    public void aReaderFarBehindLosesPeriodsAndTheClockReanchors() throws Exception {
        FakeTicker ticker = new FakeTicker();
        PeriodClock clock = new PeriodClock(ticker, 480, 48000); // 10 ms
        clock.awaitNext();
        clock.awaitNext();
        ticker.now += 3 * 10_000_000L; // 3 periods late: within the allowed lag, caught up
        clock.awaitNext();
        assertEquals(0, clock.lost());

        long before = ticker.now;
        ticker.now += 1_000_000_000L; // a second late
        long end = clock.awaitNext();
        assertEquals("1.01 s behind its deadline: 101 periods", 101, clock.lost());
        assertEquals("delivered at once, not in a burst of catch-up", before + 1_000_000_000L, end);
        assertEquals(end + 10_000_000L, clock.awaitNext());
    }
}
