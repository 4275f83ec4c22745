package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What talking costs (issue 16), not a test: run by {@code benchmarks/run-talk.sh}
 * ({@code -Dearshot.bench=true}). A runtime started with bin/earshot, its hub on the browser
 * source (16 kHz mono, so every talk is also mixed into the stream), gets N talkers at once, each
 * sending a message of 16 kHz samples every chunkMs (40: as the page does). Per run: the
 * runtime's CPU (user + system of the process) with no talker and with N, and the delay from a talker's send to its
 * samples being in the file (the WAV file's length on disk, polled every millisecond).
 */
public class TalkBenchIT {

    private static final String TOKEN = "talk-bench-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** User + system CPU of the process so far, ms. */
    private static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
    }

    private static double percentOfCore(RuntimeProcess runtime, int seconds) throws Exception {
        long cpu = cpuMillis(runtime.pid()), wall = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return 100.0 * (cpuMillis(runtime.pid()) - cpu) / ((System.nanoTime() - wall) / 1e6);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    @Test
    public void talkingCosts() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-talk.sh", Boolean.getBoolean("earshot.bench"));
        int seconds = Integer.getInteger("earshot.bench.seconds", 30);
        int runs = Integer.getInteger("earshot.bench.runs", 3);
        int talkers = Integer.getInteger("earshot.bench.talkers", 20);
        int chunkMs = Integer.getInteger("earshot.bench.chunkMs", 40); // as the page sends
        int chunkSamples = 16 * chunkMs;
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN, 0, java.util.Map.of("io.earshot.ingest.browser.cfg",
                "maxTalkSeconds = 3600\n"))) {
            TalkIT.switchToBrowser(runtime);
            System.out.println("TALK source: " + JSON.readTree(runtime.awaitHttp("/api/status", 5)).at("/stream/config"));
            System.out.println("TALK " + talkers + " talkers, " + chunkMs + " ms per message");
            System.out.println("TALK | run | runtime CPU % of one core, no talker | with " + talkers
                    + " talkers | send to file delay ms: median | p99 | max | chunks measured |");
            List<Double> idle = new ArrayList<>(), busy = new ArrayList<>(), delays = new ArrayList<>(), p99s = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double without = percentOfCore(runtime, seconds);
                byte[] chunk = new byte[chunkSamples * 2];
                for (int i = 0; i < chunkSamples; i++) {
                    short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
                    chunk[2 * i] = (byte) s;
                    chunk[2 * i + 1] = (byte) (s >> 8);
                }
                List<WsClient> clients = new ArrayList<>();
                for (int t = 0; t < talkers; t++) {
                    clients.add(WsClient.connect(HTTP, TalkIT.ingest(runtime, "bench " + run + " " + t, "16000")));
                }
                String probeFile = JSON.readTree(clients.get(0).nextText()).path("file").asText();
                Path file = runtime.home.resolve("data/recordings").resolve(probeFile);
                ConcurrentLinkedQueue<long[]> sent = new ConcurrentLinkedQueue<>(); // {bytes in the file once written, send time}
                long[] bytesSent = new long[1];
                boolean[] measuring = new boolean[1];
                ScheduledExecutorService pace = Executors.newScheduledThreadPool(2);
                // the JDK's client refuses a send while one is pending: each talker's sends are chained
                List<CompletableFuture<WebSocket>> last = new ArrayList<>();
                for (WsClient c : clients) last.add(CompletableFuture.completedFuture(c.socket));
                pace.scheduleAtFixedRate(() -> {
                    for (int t = 0; t < clients.size(); t++) {
                        long now = System.nanoTime();
                        last.set(t, last.get(t).thenCompose(ws -> ws.sendBinary(ByteBuffer.wrap(chunk), true)));
                        if (t == 0) {
                            bytesSent[0] += chunk.length;
                            if (measuring[0]) sent.add(new long[] {44 + bytesSent[0], now});
                        }
                    }
                }, 0, chunkMs, TimeUnit.MILLISECONDS);
                Thread.sleep(5000); // warm-up: connections, the JIT
                measuring[0] = true;
                List<Double> delay = new ArrayList<>();
                Thread poller = new Thread(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            long length = Files.size(file), now = System.nanoTime();
                            for (long[] s; (s = sent.peek()) != null && s[0] <= length; sent.poll()) delay.add((now - s[1]) / 1e6);
                            Thread.sleep(1);
                        }
                    } catch (Exception e) {
                        // interrupted: the run is over
                    }
                }, "talk-bench-poller");
                poller.start();
                double with = percentOfCore(runtime, seconds);
                measuring[0] = false;
                poller.interrupt();
                poller.join();
                pace.shutdownNow();
                pace.awaitTermination(5, TimeUnit.SECONDS);
                clients.forEach(WsClient::close);
                JsonNode status = JSON.readTree(runtime.awaitHttp("/api/status", 5));
                System.out.printf("TALK | %d | %.2f | %.2f | %.1f | %.1f | %.1f | %d | recorder feed thread %s ms CPU so far, talks refused %s%n",
                        run, without, with, median(delay), percentile(delay, 0.99), delay.isEmpty() ? Double.NaN : Collections.max(delay),
                        delay.size(), status.at("/recordings/feeds_cpu_ms"), status.at("/talks/refused"));
                idle.add(without);
                busy.add(with);
                delays.add(median(delay));
                p99s.add(percentile(delay, 0.99));
                Thread.sleep(3000);
            }
            System.out.printf("TALK median of %d runs: no talker %.2f%%, %d talkers %.2f%% of one core (%.2f%% more);"
                    + " send to file %.1f ms median, p99 %.1f ms%n", runs, median(idle), talkers, median(busy),
                    median(busy) - median(idle), median(delays), median(p99s));
        }
    }
}
