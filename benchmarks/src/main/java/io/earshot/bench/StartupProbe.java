package io.earshot.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Start to first buffer: starts the runtime's start script, connects to the audio WebSocket as
 * soon as it accepts, and measures until the first binary message arrives; then the resident
 * memory once the stream runs, and stops the runtime. Repeated, with the median printed.
 *
 * <pre>java -cp earshot-fanout.jar io.earshot.bench.StartupProbe [--runs N] [--port P] [--settle S] -- bin/earshot [args]</pre>
 */
public final class StartupProbe {

    private static final String USAGE = """
            Usage: java -cp earshot-fanout.jar io.earshot.bench.StartupProbe [--runs N] [--port P] [--settle S] -- COMMAND [ARGS]

            Runs COMMAND (the start script; it must exec the JVM so its PID is the runtime's) N times
            (default 5). Each run: time from process start to the audio WebSocket's first binary message
            on ws://127.0.0.1:P/ws/audio (default port 7320; pass the same --port to the script), the
            runtime's CPU time (user+system) by then, and its RSS S seconds after that (default 5). The runtime is stopped after each run.
            """;

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int port = 7320;
        double settleSeconds = 5;
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--settle" -> settleSeconds = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        }
        List<String> command = i < args.length ? Arrays.asList(args).subList(i + 1, args.length) : List.of();
        if (command.isEmpty()) {
            System.err.println(USAGE);
            System.exit(2);
        }
        URI url = URI.create("ws://127.0.0.1:" + port + "/ws/audio");
        List<Double> firstBufferMs = new ArrayList<>();
        List<Double> rssMb = new ArrayList<>();
        List<Double> cpuMs = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double[] result = once(command, url, settleSeconds);
            firstBufferMs.add(result[0]);
            rssMb.add(result[1]);
            cpuMs.add(result[2]);
            System.out.printf("run %d: first buffer %.0f ms, runtime CPU until then %.0f ms, RSS %.1f MB after %.0f s%n",
                    run, result[0], result[2], result[1], settleSeconds);
        }
        System.out.printf("median of %d runs: start to first buffer %.0f ms (min %.0f, max %.0f); runtime CPU until then"
                        + " %.0f ms; RSS %.1f MB%n", runs,
                median(firstBufferMs), firstBufferMs.stream().mapToDouble(d -> d).min().orElse(0),
                firstBufferMs.stream().mapToDouble(d -> d).max().orElse(0), median(cpuMs), median(rssMb));
    }

    private static double[] once(List<String> command, URI url, double settleSeconds) throws Exception {
        Path log = Files.createTempFile("earshot-startup", ".log");
        long start = System.nanoTime();
        Process runtime = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<Long> firstBinary = new CompletableFuture<>();
            long deadline = start + TimeUnit.SECONDS.toNanos(60);
            WebSocket socket = null;
            while (socket == null) {
                if (!runtime.isAlive()) {
                    throw new IOException("the runtime exited with " + runtime.exitValue() + "; its output is in " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no WebSocket after 60 s; the runtime's output is in " + log);
                }
                try {
                    socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
                            .buildAsync(url, new FirstBinary(firstBinary)).get(3, TimeUnit.SECONDS);
                } catch (Exception notYet) {
                    Thread.sleep(10);
                }
            }
            long firstAt = firstBinary.get(30, TimeUnit.SECONDS);
            ProcStats stats = new ProcStats(Long.toString(runtime.pid()));
            // user+system time of the runtime by its first buffer: what the start costs, less shaken by other load than the wall time
            double cpuMs = stats.cpuTicks() * 1000.0 / ProcStats.clockTicksPerSecond();
            double ms = (firstAt - start) / 1e6;
            Thread.sleep((long) (settleSeconds * 1000));
            double rss = stats.rssKb() / 1024.0;
            socket.abort();
            Files.deleteIfExists(log);
            return new double[] {ms, rss, cpuMs};
        } finally {
            runtime.destroy();
            if (!runtime.waitFor(10, TimeUnit.SECONDS)) {
                runtime.destroyForcibly().waitFor();
            }
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(d -> d).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Completes with the arrival time of the first binary message. */
    private record FirstBinary(CompletableFuture<Long> arrived) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            arrived.complete(System.nanoTime());
            webSocket.request(1);
            return null;
        }
    }
}
