package io.earshot.source.remote.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class ReconnectionGapTest {

    private static final long PERIOD = 85_333_333L; // 4096 frames at 48 kHz
    private static final long T0 = 1_700_000_000_000_000_000L;

    @Test
    public void aRemoteThatKeptRunningIsCountedByItsNumbers() {
        // 30 buffers missed; the stamps say 30 too, give or take the jitter of a period's start
        assertEquals(30, RemoteCapture.reconnectionGap(100, T0, 131, T0 + 31 * PERIOD + 3_000_000, PERIOD));
        assertEquals(0, RemoteCapture.reconnectionGap(100, T0, 101, T0 + PERIOD, PERIOD));
    }

    @Test
    public void aRestartedRemoteIsCountedByTheTimeAway() {
        // numbered from 0 again: the new number is below the old one
        assertEquals(40, RemoteCapture.reconnectionGap(100, T0, 3, T0 + 41 * PERIOD, PERIOD));
        // numbered from 0 again and already past the old number: the numbers would say 1
        assertEquals(40, RemoteCapture.reconnectionGap(100, T0, 102, T0 + 41 * PERIOD, PERIOD));
    }

    @Test
    public void aStampFromBeforeTheLastBufferCountsNothing() {
        assertEquals(0, RemoteCapture.reconnectionGap(100, T0, 5, T0 - 10 * PERIOD, PERIOD));
    }
}
