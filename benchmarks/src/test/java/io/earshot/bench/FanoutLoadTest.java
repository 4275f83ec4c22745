package io.earshot.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/** Runs the load tool for a few seconds against {@link TestAudioServer}, once with each client. */
@RunWith(Parameterized.class)
public class FanoutLoadTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> clients() {
        return Arrays.asList(new Object[][] {{"nio"}, {"jetty"}});
    }

    private final String client;

    public FanoutLoadTest(String client) {
        this.client = client;
    }

    private Result run(ByteArrayOutputStream text, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--client");
        all.add(client);
        Options o = Options.parse(all.toArray(new String[0]));
        Result r = new FanoutLoad(o, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
        System.out.print(text.toString(StandardCharsets.UTF_8));
        assertEquals(client, r.client);
        return r;
    }

    @Test
    public void healthyClientsGetEveryBufferAndAStalledOneIsSetAside() throws Exception {
        // starts at 6 ch x 4096; the tool switches it to 8 ch x 512 (10.67 ms) through /ws/config
        try (TestAudioServer server = new TestAudioServer(48000, 6, 4096, 0, -1, 0)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            // this JVM (the test server's) stands in for the runtime, where /proc exists
            boolean proc = Files.isReadable(Path.of("/proc/self/stat"));
            String pid = proc ? Long.toString(ProcessHandle.current().pid()) : "";
            Result r = run(text, "--url", server.audioUrl(), "--token", TestAudioServer.TOKEN,
                    "--clients", "6", "--stalled", "1", "--config", "48000,8,512",
                    "--warmup", "1", "--seconds", "3", "--close-storm", "--json", "--markdown",
                    proc ? "--pid" : "--grace", proc ? pid : "5");

            assertEquals(r.text(), 0, r.exitCode);
            assertEquals(8, r.channels);
            assertEquals(512, r.bufferFrames);
            assertEquals(24 + 512 * 8 * 2, r.messageBytes);
            assertEquals(48000.0 / 512 * 3, r.expectedBuffers, 0.2);
            assertTrue("stream buffers " + r.streamBuffers, Math.abs(r.streamBuffers - r.expectedBuffers) <= 1.5);
            assertEquals(5, r.measuredClients);
            assertEquals(r.text(), 100.0, r.deliveredMinPct, 1e-9);
            assertEquals(0, r.missingTotal);
            assertEquals(0, r.gapsTotal);
            assertEquals(0, r.wrongSizes);
            assertEquals(0, r.badHeaders);
            assertEquals(0, r.failedClients);
            assertTrue(r.failures.isEmpty());
            assertEquals(0, r.streamShortfall);

            assertFalse(Double.isNaN(r.latencyP50Ms));
            assertTrue("latency p50 " + r.latencyP50Ms, r.latencyP50Ms >= 0 && r.latencyP50Ms < 200);
            assertTrue(r.latencyP99Ms >= r.latencyP50Ms && r.latencyMaxMs >= r.latencyP99Ms);
            assertTrue("inter-arrival p50 " + r.interArrivalP50Ms, Math.abs(r.interArrivalP50Ms - 10.67) < 4);
            assertTrue(r.interArrivalMaxMs >= r.interArrivalP99Ms);

            assertEquals(1, r.stalled.size());
            Result.Stalled s = r.stalled.get(0);
            assertEquals("a stalled client takes one buffer, then stops reading", 1, s.receivedBeforeProbe());
            assertFalse(s.closedByServer());
            assertTrue("read again after the window, it drains what was queued", s.drained() > 0);
            assertTrue(s.stillLive());
            assertTrue(s.skipped() >= 0);

            assertNotNull(r.closeStorm);
            assertTrue(r.text(), r.closeStorm.pass());
            assertEquals(6, r.closeStorm.of());
            assertTrue(r.closeStorm.buffersIn2s() > 10);
            assertTrue(r.closeStorm.closeSeconds() < 1.5);

            if (proc) {
                assertFalse(Double.isNaN(r.runtimeCpuPct));
                assertTrue(r.runtimeRssMaxMb > 1);
                assertFalse(Double.isNaN(r.toolCpuPct));
            }

            String out = text.toString(StandardCharsets.UTF_8);
            assertTrue(out, out.contains("JSON {\"url\":"));
            assertTrue(out, out.contains("\"delivered_min_pct\":100,"));
            assertTrue(out, out.contains("\"client\":\"" + client + "\","));
            assertTrue(out, out.contains("(stalled 1, " + client + " client)"));
            assertTrue(out, out.contains("| pass | " + client + " |"));
            assertTrue(out, out.contains("| 8 | 512 | 6 | 1 | 281.3 | 100.00 | 100.00 | 0 | 0 |"));
            assertTrue(out, out.contains("close storm: PASS"));

            // the server took the client's frames: a pong for every ping, a clean close from every client
            long until = System.nanoTime() + 2_000_000_000L;
            while (server.closes.getOrDefault("1000 close storm", 0) < 6 && System.nanoTime() < until) Thread.sleep(10);
            assertEquals(server.closes.toString(), 6, (int) server.closes.getOrDefault("1000 close storm", 0));
            assertTrue("pongs " + server.pongs, server.pongs.get() >= 6);
        }
    }

    @Test
    public void lostBuffersAndServerClosesAreCounted() throws Exception {
        // 6 ch x 480 frames = 10 ms; every 10th buffer dropped for all; connection 2 closed after 1.5 s
        try (TestAudioServer server = new TestAudioServer(48000, 6, 480, 10, 2, 1500)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            Result r = run(text, "--url", server.audioUrl(), "--clients", "4",
                    "--warmup", "0.5", "--seconds", "2", "--json");

            assertEquals(0, r.exitCode);
            assertEquals(200, r.expectedBuffers, 0.01);
            assertEquals(4, r.measuredClients);
            assertEquals(0, r.wrongSizes);
            // ~20 of 200 lost for each healthy client
            assertTrue(r.text(), r.deliveredMedianPct > 85 && r.deliveredMedianPct < 95);
            assertTrue(r.text(), r.gapsTotal >= 3 * 17);
            assertTrue(r.text(), r.missingTotal >= r.gapsTotal);
            // the closed one got about half the window at most
            assertTrue(r.text(), r.deliveredMinPct < 80);
            assertEquals(r.text(), 1, r.failedClients);
            Result.Failure f = r.failures.get(0);
            assertEquals(1008, f.code());
            assertEquals("test close", f.reason());
            String out = text.toString(StandardCharsets.UTF_8);
            assertTrue(out, out.contains("1008 'test close' x1"));
        }
    }

    @Test
    public void refusedConfigEndsTheRunWithExitCode1() throws Exception {
        try (TestAudioServer server = new TestAudioServer(48000, 6, 480, 0, -1, 0)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            Result r = run(text, "--url", server.audioUrl(), "--token", "wrong", "--config", "48000,6,256",
                    "--clients", "1", "--warmup", "0", "--seconds", "1");
            assertEquals(1, r.exitCode);
            assertTrue(text.toString(StandardCharsets.UTF_8), text.toString(StandardCharsets.UTF_8).contains("missing or wrong token"));
        }
    }

    @Test
    public void nothingListeningEndsTheRunWithExitCode1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Result r = run(text, "--url", "ws://127.0.0.1:" + port + "/ws/audio", "--clients", "2",
                "--warmup", "0", "--seconds", "1", "--connect-timeout", "2");
        assertEquals(1, r.exitCode);
        String out = text.toString(StandardCharsets.UTF_8);
        assertTrue(out, out.contains("no client could connect") && out.contains("Connection refused"));
    }

    @Test
    public void aServerThatNeverAnswersTimesOut() throws Exception {
        // the kernel accepts the connection (backlog), nobody reads the upgrade request
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            Result r = run(text, "--url", "ws://127.0.0.1:" + silent.getLocalPort() + "/ws/audio", "--clients", "2",
                    "--warmup", "0", "--seconds", "1", "--connect-timeout", "0.5");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(1, r.exitCode);
            String out = text.toString(StandardCharsets.UTF_8);
            assertTrue(out, out.contains("no client could connect") && out.contains("Timeout"));
            assertTrue("took " + seconds + " s", seconds < 5);
        }
    }
}
