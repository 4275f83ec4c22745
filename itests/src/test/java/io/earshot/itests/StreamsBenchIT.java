package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Several streams (issue 20), not a test: run by {@code benchmarks/run-streams.sh}
 * ({@code -Dearshot.bench=true}).
 * <ul>
 * <li>{@code cost}: four streams of 6 ch x 48 kHz x 4096 frames in one runtime (main and a second
 * simulated array, two remote streams from a board runtime), the doa example on every stream:
 * the runtime's CPU (user + system of its process) and every stream's delivery over windows.</li>
 * <li>{@code room}: the shipped simulated room with the fusion example, three arrays then two:
 * the distance between the estimate and the talker's true place, sampled every 250 ms.</li>
 * </ul>
 */
public class StreamsBenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STREAMS = List.of("main", "second", "board-1", "board-2");

    private static long cpuTicks(long pid) throws Exception {
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst(".*\\) ", "").split(" ");
        return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    }

    private static JsonNode status(RuntimeProcess runtime) throws Exception {
        return JSON.readTree(runtime.awaitHttp("/api/status", 5));
    }

    private static JsonNode listener(JsonNode stream, String name) {
        for (JsonNode l : stream.path("listeners")) {
            if (l.path("name").asText().equals(name)) return l;
        }
        return JSON.createObjectNode();
    }

    private static Path example(String name) {
        Path jar = Paths.get(System.getProperty("earshot.examples.dir")).resolve(name + "/target/io.earshot.examples." + name + "-0.1.0-SNAPSHOT.jar");
        if (!Files.isRegularFile(jar)) throw new AssertionError("built by plugins-examples: " + jar);
        return jar;
    }

    @Test
    public void cost() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-streams.sh", Boolean.getBoolean("earshot.bench"));
        assumeTrue(System.getProperty("earshot.bench.what", "cost,room").contains("cost"));
        int seconds = Integer.getInteger("earshot.bench.seconds", 20), runs = Integer.getInteger("earshot.bench.runs", 3);
        try (RuntimeProcess board = RuntimeProcess.start("bench-board-token-0123456789")) {
            String remote = "source=remote\nurl=ws://127.0.0.1:" + board.port + "/ws/audio\ntoken=bench-board-token-0123456789\n";
            try (RuntimeProcess runtime = RuntimeProcess.start("bench-streams-token-0123456789", 0, Map.of(
                    "io.earshot.stream~second.cfg", "source=synthetic\nangularSpeed=-30\nseed=2\n",
                    "io.earshot.stream~board-1.cfg", remote,
                    "io.earshot.stream~board-2.cfg", remote,
                    "io.earshot.examples.doa.cfg", "earshot.stream=*\n"))) {
                runtime.awaitJson("/api/status", "four streams running", s -> STREAMS.stream().allMatch(id ->
                        s.at("/streams/" + id + "/capture/state").asText().equals("running")));
                Thread.sleep(3_000);
                List<Double> idle = new ArrayList<>();
                for (int run = 0; run < runs; run++) idle.add(window(runtime, "without doa", seconds));
                Files.copy(example("doa"), runtime.home.resolve("plugins/doa.jar"));
                runtime.awaitJson("/api/status", "doa on every stream", s -> STREAMS.stream().allMatch(id ->
                        listener(s.at("/streams/" + id), "doa").path("delivered").asLong() > 2));
                Thread.sleep(3_000);
                List<Double> loaded = new ArrayList<>();
                for (int run = 0; run < runs; run++) loaded.add(window(runtime, "doa on each", seconds));
                System.out.printf("STREAMS cost | four streams, %d windows of %d s | median CPU %.1f%% of one core without doa,"
                        + " %.1f%% with doa on each stream%n", runs, seconds, median(idle), median(loaded));
            }
        }
    }

    /** One window: the process's CPU, and per stream the buffers captured and lost, and the doa's delivered and dropped. */
    private static double window(RuntimeProcess runtime, String phase, int seconds) throws Exception {
        JsonNode before = status(runtime).path("streams");
        long c0 = cpuTicks(runtime.pid()), t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long c1 = cpuTicks(runtime.pid());
        double wall = (System.nanoTime() - t0) / 1e9;
        JsonNode after = status(runtime).path("streams");
        double cpu = (c1 - c0) / 100.0 / wall * 100;
        StringBuilder row = new StringBuilder(String.format("STREAMS cost | %s | %.1f |", phase, cpu));
        for (String id : STREAMS) {
            JsonNode a = before.path(id), b = after.path(id);
            row.append(String.format(" %s %.1f/s lost %d doa %d/%d |", id,
                    (b.at("/capture/buffers").asLong() - a.at("/capture/buffers").asLong()) / wall,
                    b.at("/capture/lost_in_source").asLong() - a.at("/capture/lost_in_source").asLong(),
                    listener(b, "doa").path("delivered").asLong() - listener(a, "doa").path("delivered").asLong(),
                    listener(b, "doa").path("dropped").asLong() - listener(a, "doa").path("dropped").asLong()));
        }
        System.out.println(row);
        return cpu;
    }

    @Test
    public void room() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-streams.sh", Boolean.getBoolean("earshot.bench"));
        assumeTrue(System.getProperty("earshot.bench.what", "cost,room").contains("room"));
        int seconds = Integer.getInteger("earshot.bench.roomSeconds", 60);
        String hub = Files.readString(Paths.get(System.getProperty("earshot.dist.dir")).resolve("conf/io.earshot.hub.cfg"))
                .replace("source = synthetic", "source = room");
        try (RuntimeProcess runtime = RuntimeProcess.start("bench-room-token-0123456789", 0, Map.of(
                "io.earshot.hub.cfg", hub,
                "io.earshot.stream~east.cfg", "source=room\n",
                "io.earshot.stream~north.cfg", "source=room\n"))) {
            Files.copy(example("fusion"), runtime.home.resolve("plugins/fusion.jar"));
            accuracy(runtime, "three arrays", List.of("east", "main", "north"), seconds);
            Files.writeString(runtime.home.resolve("conf/io.earshot.examples.fusion.cfg"), "earshot.stream=main,east\n");
            accuracy(runtime, "two arrays (main, east)", List.of("east", "main"), seconds);
            Files.writeString(runtime.home.resolve("conf/io.earshot.examples.fusion.cfg"), "earshot.stream=main,north\n");
            accuracy(runtime, "two arrays (main, north)", List.of("main", "north"), seconds);
        }
    }

    private static void accuracy(RuntimeProcess runtime, String what, List<String> streams, int seconds) throws Exception {
        runtime.awaitJson("/api/status", "fusion of " + streams, s -> {
            List<String> used = new ArrayList<>();
            s.at("/fusion/used").forEach(u -> used.add(u.asText()));
            return used.equals(streams) && s.at("/fusion/estimate").isObject();
        });
        List<Double> errors = new ArrayList<>();
        int samples = seconds * 4, none = 0;
        long start = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            JsonNode s = status(runtime);
            JsonNode estimate = s.at("/fusion/estimate"), truth = s.at("/streams/main/source/talkers/0");
            if (estimate.isObject()) {
                errors.add(Math.hypot(estimate.path("x").asDouble() - truth.path("x").asDouble(),
                        estimate.path("y").asDouble() - truth.path("y").asDouble()));
            } else {
                none++;
            }
            long next = start + (i + 1) * 250_000_000L;
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        Collections.sort(errors);
        System.out.printf("STREAMS room | %s | %d samples over %d s | estimate in %d | median %.3f m | p90 %.3f m | max %.3f m%n",
                what, samples, seconds, errors.size(), errors.get(errors.size() / 2), errors.get(errors.size() * 9 / 10),
                errors.get(errors.size() - 1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
