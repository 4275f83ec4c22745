package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What each example plugin costs (issue 7), not a test: run by {@code benchmarks/run-examples.sh}
 * ({@code -Dearshot.bench=true}). The example jars go into a runtime started with bin/earshot;
 * the CPU time of each plugin's own thread ({@code cpu_ms} in the status) is read over a window,
 * with SRP-PHAT and MUSIC, at 6 and at 48 channels (48 kHz, 4096 frames).
 */
public class ExamplesBenchIT {

    private static final String TOKEN = "examples-bench-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EXAMPLES = List.of("levels", "spectrum", "spectrogram", "playback", "doa", "vad", "beamformer");

    private static Map<String, long[]> listeners(RuntimeProcess runtime) throws Exception {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (JsonNode l : JSON.readTree(runtime.awaitHttp("/api/status", 5)).at("/stream/listeners")) {
            out.put(l.get("name").asText(), new long[] {l.path("cpu_ms").asLong(-1), l.get("delivered").asLong(), l.get("dropped").asLong()});
        }
        return out;
    }

    private static void measure(RuntimeProcess runtime, String phase, List<String> names, int seconds) throws Exception {
        Thread.sleep(5_000);
        Map<String, long[]> before = listeners(runtime);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        Map<String, long[]> after = listeners(runtime);
        double wallMs = (System.nanoTime() - t0) / 1e6;
        for (String name : names) {
            long[] a = before.get(name), b = after.get(name);
            if (a == null || b == null) {
                System.out.println("EXAMPLES | " + phase + " | " + name + " | (not running) |");
                continue;
            }
            System.out.printf("EXAMPLES | %s | %s | %.2f | %d | %d |%n", phase, name, (b[0] - a[0]) / wallMs * 100, b[1] - a[1], b[2] - a[2]);
        }
    }

    private static void configure(RuntimeProcess runtime, String json) throws Exception {
        WsAnswer answer = new WsAnswer();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port
                + "/ws/config?token=" + TOKEN), answer).get().sendText(json, true).get();
        System.out.println("EXAMPLES config " + json + ": " + answer.text.get());
    }

    private static final class WsAnswer implements java.net.http.WebSocket.Listener {
        final java.util.concurrent.CompletableFuture<String> text = new java.util.concurrent.CompletableFuture<>();

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.complete(data.toString());
            return null;
        }
    }

    @Test
    public void examplePluginCosts() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-examples.sh", Boolean.getBoolean("earshot.bench"));
        int seconds = Integer.getInteger("earshot.bench.seconds", 20);
        Path examples = Paths.get(System.getProperty("earshot.examples.dir"));
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN)) {
            for (String name : EXAMPLES) {
                Files.copy(examples.resolve(name + "/target/io.earshot.examples." + name + "-0.1.0-SNAPSHOT.jar"),
                        runtime.home.resolve("plugins/" + name + ".jar"));
            }
            System.out.println("EXAMPLES | phase | plugin | CPU % of one core | buffers delivered | dropped |");
            measure(runtime, "6 ch, SRP-PHAT", EXAMPLES, seconds);
            Path conf = runtime.home.resolve("conf/io.earshot.examples.doa.cfg");
            Files.writeString(conf, "method=MUSIC\n");
            measure(runtime, "6 ch, MUSIC", List.of("doa"), seconds);
            configure(runtime, "{\"channels\":48}");
            Files.writeString(conf, "method=SRP_PHAT\n");
            measure(runtime, "48 ch, SRP-PHAT", EXAMPLES, seconds);
            Files.writeString(conf, "method=MUSIC\n");
            measure(runtime, "48 ch, MUSIC", List.of("doa"), seconds);
        }
    }
}
