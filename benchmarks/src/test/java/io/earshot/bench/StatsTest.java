package io.earshot.bench;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Test;

/** The statistics: histogram percentiles, gap counting, delivery figures, options. */
public class StatsTest {

    private static final long S = 1_000_000_000L;

    @Test
    public void histogramIsExactBelow256() {
        Histogram h = new Histogram();
        for (int v = 1; v <= 100; v++) h.record(v);
        assertEquals(50, h.percentile(50));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.percentile(0));
        assertEquals(100, h.max());
        assertEquals(1, h.min());
        assertEquals(50.5, h.mean(), 1e-9);
    }

    @Test
    public void histogramPercentilesAreWithinHalfAPercent() {
        Random random = new Random(42);
        long[] values = new long[20_000];
        Histogram h = new Histogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextGaussian() * 2 + 10);   // ~22 ms median, long tail (us)
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 10, 50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];   // nearest rank
            long got = h.percentile(p);
            assertTrue("p" + p + ": " + got + " vs " + exact, Math.abs(got - exact) <= Math.max(1, exact * 0.005));
        }
        assertEquals(values[values.length - 1], h.max());
    }

    @Test
    public void histogramBucketsCoverTheRange() {
        for (long v : new long[] {0, 1, 255, 256, 257, 511, 512, 1000, 123_456_789, Histogram.MAX_VALUE}) {
            int i = Histogram.index(v);
            assertTrue(v + " in bucket " + i, Histogram.lowerBound(i) <= v && v < Histogram.lowerBound(i) + Histogram.width(i));
        }
        Histogram h = new Histogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(0, h.min());
        assertEquals(Histogram.MAX_VALUE, h.max());
        assertEquals(-1, new Histogram().percentile(50));
    }

    @Test
    public void mergedHistogramsAddUp() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int i = 0; i < 90; i++) a.record(10);
        for (int i = 0; i < 10; i++) b.record(5000);
        a.add(b);
        assertEquals(100, a.count());
        assertEquals(10, a.percentile(90));
        assertEquals(5000, a.percentile(91), 5000 * 0.005);
        assertEquals(5000, a.max());
    }

    /** A window from wall 100 s to 110 s; monotonic time equals wall time here. */
    private static Window window() {
        Window w = new Window(0, 0);
        w.set(100 * S, 110 * S);
        return w;
    }

    private static void feed(ClientStats c, Window w, long seq, long captureSec, int size) {
        long capture = captureSec * S;
        long recv = capture + 2_000_000;        // 2 ms later
        c.binary(size, true, seq, capture, recv, recv, w);
    }

    private static ClientStats client(int id, boolean stalled, Window w) {
        ClientStats c = new ClientStats(id, stalled);
        c.config(1000, 1, 1000, w);               // 1 buffer per second, 2024-byte messages
        return c;
    }

    @Test
    public void gapsWrongSizesAndTheWindowBoundaries() {
        Window w = window();
        ClientStats c = client(0, false, w);
        int size = 24 + 1000 * 2;
        feed(c, w, 0, 99, size);                  // before the window: ignored
        for (long s = 1; s <= 10; s++) {          // captured 100..109 s
            if (s == 4 || s == 5) continue;       // two lost
            feed(c, w, s, 99 + s, s == 7 ? size - 2 : size);
        }
        feed(c, w, 9, 108, size);                 // a repeat
        feed(c, w, 11, 110, size);                // captured at the end: outside
        assertEquals(8, c.received);
        assertEquals(2, c.gaps);
        assertEquals(1, c.outOfOrder);
        assertEquals(1, c.wrongSize);
        assertEquals(9, c.windowMessages);
        assertEquals(1, c.firstSequence);
        assertEquals(10, c.lastWindowSequence);
        assertTrue(c.pastEnd);
        assertEquals(9, c.latencyMicros.count());
        assertEquals(2000, c.latencyMicros.percentile(50));
        // inter-arrival: 1 s, except 3 s across the gap and 0 for the repeat (recv times 108 s twice)
        assertEquals(8, c.interArrivalMicros.count());
        assertEquals(3_000_000, c.interArrivalMicros.max(), 3_000_000 * 0.005);
        assertEquals(11, c.messages);
    }

    @Test
    public void missingIncludesTheTailAClientNeverGot() {
        Window w = window();
        ClientStats full = client(0, false, w);
        ClientStats early = client(1, false, w);  // loses the last 4 (e.g. closed)
        ClientStats stalled = client(2, true, w);
        for (long s = 0; s < 10; s++) {
            feed(full, w, s, 100 + s, 2024);
            if (s < 6) feed(early, w, s, 100 + s, 2024);
        }
        feed(stalled, w, 0, 100, 2024);
        early.closed(1006, "Disconnected", 105 * S);

        Result r = new Result();
        r.computeDelivery(List.of(full, early, stalled), 10, 100 * S, 115 * S, null);
        assertEquals(10.0, r.expectedBuffers, 1e-9);
        assertEquals(10, r.streamBuffers);
        assertEquals(0, r.streamShortfall);
        assertEquals(2, r.measuredClients);
        assertEquals(4, r.missingTotal);
        assertEquals(0, r.gapsTotal);
        assertEquals(60.0, r.deliveredMinPct, 1e-9);
        assertEquals(80.0, r.deliveredMedianPct, 1e-9);
        assertEquals(1, r.failedClients);
        assertEquals(1006, r.failures.get(0).code());
        assertEquals(5.0, r.failures.get(0).atSeconds(), 1e-9);
        assertEquals(2.0, r.latencyP50Ms, 0.01);
        assertEquals(1000.0, r.interArrivalP50Ms, 5);
        assertTrue(r.markdownRow().contains("| 1 (1006 'Disconnected' x1) |"));
    }

    @Test
    public void aStreamThatMadeTooFewBuffersCountsAsMissingForEveryone() {
        Window w = window();
        ClientStats a = client(0, false, w);
        for (long s = 0; s < 5; s++) feed(a, w, s, 100 + s, 2024);   // the stream stopped after 5 s
        feed(a, w, 5, 111, 2024);                 // and came back after the window
        Result r = new Result();
        r.computeDelivery(List.of(a), 10, 100 * S, 115 * S, null);
        assertEquals(5, r.streamBuffers);
        assertEquals(4, r.streamShortfall);        // 10 expected, one of tolerance for the phase
        assertEquals(4, r.missingTotal);
        assertEquals(100.0 * 5 / 9, r.deliveredMinPct, 1e-9);
        assertTrue(!r.clientsBehind);
        assertTrue(r.text().contains("stream short by 4"));
    }

    @Test
    public void clientsThatLagBehindTheWindowAreToldApart() {
        Window w = window();
        ClientStats a = client(0, false, w);
        // got only what was captured in the first 5 s, none captured after the window: late, not lost
        for (long s = 0; s < 5; s++) feed(a, w, s, 100 + s, 2024);
        Result r = new Result();
        r.computeDelivery(List.of(a), 10, 100 * S, 115 * S, null);
        assertEquals(4, r.missingTotal);
        assertTrue(r.clientsBehind);
        assertEquals(11.0, r.behindSeconds, 1e-9);   // grace ended at 115 s, newest capture 104 s
        assertTrue(r.text(), r.text().contains("4 more not arrived in time"));

        // so far behind that nothing captured in the window arrived at all
        ClientStats b = client(1, false, w);
        for (long s = 0; s < 5; s++) feed(b, w, s, 90 + s, 2024);
        r = new Result();
        r.computeDelivery(List.of(b), 10, 100 * S, 115 * S, null);
        assertEquals(0, r.streamBuffers);
        assertEquals(9, r.missingTotal);
        assertTrue(r.clientsBehind);
        assertEquals(21.0, r.behindSeconds, 1e-9);
    }

    @Test
    public void noDataGivesNoFigures() {
        Window w = window();
        ClientStats a = client(0, false, w);
        a.connectFailed(new java.io.IOException("Connection refused"));
        Result r = new Result();
        r.computeDelivery(List.of(a), 10, 100 * S, 115 * S, null);
        assertEquals(0.0, r.deliveredMinPct, 1e-9);
        assertEquals(9, r.missingTotal);
        assertTrue(Double.isNaN(r.latencyP50Ms));
        assertTrue(r.json().contains("\"latency_ms\":{\"p50\":null,"));
        assertTrue(r.text().contains("connect failed: IOException: Connection refused"));
    }

    @Test
    public void options() {
        Options o = Options.parse();
        assertEquals(URI.create("ws://127.0.0.1:7320/ws/audio"), o.url);
        assertEquals(URI.create("ws://127.0.0.1:7320/ws/config"), o.configUrl);
        assertEquals(10, o.warmupSeconds, 0);
        assertEquals(30, o.seconds, 0);
        o = Options.parse("--url=ws://localhost:9000/ws/audio", "--clients", "20", "--stalled", "2", "--config", "48000,48,256");
        assertEquals(URI.create("ws://localhost:9000/ws/config"), o.configUrl);
        assertArrayEquals(new int[] {48000, 48, 256}, o.config);
        assertEquals(2, o.stalled);
        assertEquals("nio", o.client);
        assertEquals(2, o.selectors());
        o = Options.parse("--client", "jetty", "--url", "wss://localhost:9000/ws/audio");
        assertEquals("jetty", o.client);
        assertEquals(1, o.selectors());
        assertEquals(3, Options.parse("--selectors", "3").selectors());
        for (String[] bad : new String[][] {{"--clients", "2", "--stalled", "3"}, {"--config", "48000,6"},
                {"--url", "http://127.0.0.1/"}, {"--bogus", "1"}, {"--clients"}, {"--client", "netty"},
                {"--url", "wss://localhost:9000/ws/audio"}}) {
            try {
                Options.parse(bad);
                throw new AssertionError("accepted " + Arrays.toString(bad));
            } catch (IllegalArgumentException expected) {
                // fine
            }
        }
    }

    @Test
    public void stalledClientsAreSpreadOut() {
        boolean[] s = FanoutLoad.stalledSlots(20, 2);
        assertTrue(s[5] && s[15]);
        int n = 0;
        for (boolean b : s) if (b) n++;
        assertEquals(2, n);
        s = FanoutLoad.stalledSlots(3, 3);
        assertTrue(s[0] && s[1] && s[2]);
    }

    @Test
    public void jsonFields() {
        String s = "{\"buffer_frames\":4096,\"rate\": 48000,\"channels\":6,\"volume\":80}";
        assertEquals(4096, Json.intField(s, "buffer_frames"));
        assertEquals(48000, Json.intField(s, "rate"));
        assertEquals(-1, Json.intField(s, "nope"));
        assertEquals(Boolean.FALSE, Json.boolField("{\"ok\":false,\"error\":\"bad \\\"x\\\"\"}", "ok"));
        assertEquals("bad \"x\"", Json.stringField("{\"ok\":false,\"error\":\"bad \\\"x\\\"\"}", "error"));
        assertEquals("\"a\\\"b\\n\"", Json.quote("a\"b\n"));
    }
}
