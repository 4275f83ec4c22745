package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What recording to disk costs (issue 16), not a test: run by {@code benchmarks/run-recordings.sh}
 * ({@code -Dearshot.bench=true}). A runtime started with bin/earshot streams 48 channels at
 * 48 kHz; each run records into data/recordings for a window and reads the CPU time of the
 * recorder's threads (its listener thread writes, its sync thread forces to disk once a
 * second), the bytes written per second and the buffers lost.
 */
public class RecordingsBenchIT {

    private static final String TOKEN = "recordings-bench-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static JsonNode status(RuntimeProcess runtime) throws Exception {
        return JSON.readTree(runtime.awaitHttp("/api/status", 5));
    }

    private static JsonNode listener(JsonNode status) {
        for (JsonNode l : status.at("/stream/listeners")) {
            if (l.path("name").asText().equals("recordings")) return l;
        }
        throw new AssertionError("no recordings listener in " + status.at("/stream/listeners"));
    }

    private static int request(RuntimeProcess runtime, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url(path))).header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    public void recordingCosts() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-recordings.sh", Boolean.getBoolean("earshot.bench"));
        int seconds = Integer.getInteger("earshot.bench.seconds", 60);
        int runs = Integer.getInteger("earshot.bench.runs", 3);
        String channels = System.getProperty("earshot.bench.channels", "48");
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN)) {
            WsClient config = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/config?token=" + TOKEN));
            System.out.println("RECORDINGS config: " + config.ask("{\"channels\":" + channels + ",\"rate\":48000,\"buffer_frames\":4096}"));
            config.close();
            System.out.println("RECORDINGS | run | recorder CPU % of one core (write + sync) | MB/s | buffers delivered | lost (dropped, gaps) |");
            List<Double> cpus = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                String name = "bench-" + run;
                if (request(runtime, "POST", "/api/recordings", "{\"name\":\"" + name + "\"}") != 201) throw new AssertionError("not started");
                Thread.sleep(5_000);
                Path file = runtime.home.resolve("data/recordings/" + name + ".wav");
                JsonNode before = status(runtime);
                long bytes0 = Files.size(file);
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                JsonNode after = status(runtime);
                long bytes1 = Files.size(file);
                double wallMs = (System.nanoTime() - t0) / 1e6;
                double writeMs = listener(after).path("cpu_ms").asLong() - listener(before).path("cpu_ms").asLong();
                double syncMs = after.at("/recordings/sync_cpu_ms").asLong() - before.at("/recordings/sync_cpu_ms").asLong();
                long delivered = listener(after).path("delivered").asLong() - listener(before).path("delivered").asLong();
                long dropped = listener(after).path("dropped").asLong() - listener(before).path("dropped").asLong();
                long gaps = after.at("/recordings/recording/0/lost_buffers").asLong();
                double cpu = (writeMs + syncMs) / wallMs * 100;
                cpus.add(cpu);
                System.out.printf("RECORDINGS | %d | %.2f (%.2f + %.2f) | %.2f | %d | %d, %d |%n", run, cpu, writeMs / wallMs * 100,
                        syncMs / wallMs * 100, (bytes1 - bytes0) / wallMs * 1000 / 1e6, delivered, dropped, gaps);
                request(runtime, "POST", "/api/recordings/" + name + "/stop", null);
                request(runtime, "DELETE", "/api/recordings/" + name, null);
            }
            Collections.sort(cpus);
            System.out.printf("RECORDINGS median CPU %.2f %% of one core over %d runs of %d s%n", cpus.get(cpus.size() / 2), runs, seconds);
        }
    }
}
