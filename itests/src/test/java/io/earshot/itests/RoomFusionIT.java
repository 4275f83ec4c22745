package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The simulated room as a user runs it: the shipped scene ({@code conf/room.json}: a 6 x 5 m room,
 * a talker walking a 3 x 2.3 m loop at 0.4 m/s, arrays in two corners and at the north wall, 20 dB
 * SNR at 2 m), main on the array of the same name and one stream file per other array, and the
 * fusion example dropped into plugins/. Its estimate is compared with the room's truth over the
 * run, with three arrays, then two.
 */
public class RoomFusionIT {

    /** The bound of the median position error, metres, for two and for three arrays. */
    static final double MEDIAN_BOUND_M = 0.3;
    static final int SAMPLES = 60;
    static final long SAMPLE_EVERY_MS = 250;

    /** The distances between the fusion's estimate and the talker's true place, one per status sampled. */
    private static List<Double> errors(RuntimeProcess runtime, List<String> streams) throws Exception {
        runtime.awaitJson("/api/status", "fusion of " + streams, s -> {
            List<String> used = new ArrayList<>();
            s.at("/fusion/used").forEach(u -> used.add(u.asText()));
            return used.equals(streams) && s.at("/fusion/estimate").isObject();
        });
        List<Double> errors = new ArrayList<>();
        int none = 0;
        for (int i = 0; i < SAMPLES; i++) {
            JsonNode status = runtime.awaitJson("/api/status", "a status", s -> true);
            JsonNode estimate = status.at("/fusion/estimate");
            JsonNode truth = status.at("/streams/main/source/talkers/0");
            assertTrue(status.at("/streams/main/source").toString(), truth.path("x").isNumber());
            if (estimate.isObject()) {
                errors.add(Math.hypot(estimate.path("x").asDouble() - truth.path("x").asDouble(),
                        estimate.path("y").asDouble() - truth.path("y").asDouble()));
            } else {
                none++;
            }
            Thread.sleep(SAMPLE_EVERY_MS);
        }
        assertTrue(streams + ": an estimate in " + errors.size() + " of " + SAMPLES + " samples", none <= SAMPLES / 10);
        return errors;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    public void theFusionFindsTheTalkerWithThreeArraysAndWithTwo() throws Exception {
        Path hub = Paths.get(System.getProperty("earshot.dist.dir")).resolve("conf/io.earshot.hub.cfg");
        String hubConfig = Files.readString(hub).replace("source = synthetic", "source = room");
        try (RuntimeProcess runtime = RuntimeProcess.start("room-token-0123456789", 0, Map.of(
                "io.earshot.hub.cfg", hubConfig,
                "io.earshot.stream~east.cfg", "source=room\n",
                "io.earshot.stream~north.cfg", "source=room\n",
                "io.earshot.examples.fusion.cfg", "room=6,5\n"))) {
            JsonNode streams = runtime.awaitJson("/api/status", "the room's three arrays running", s ->
                    List.of("main", "east", "north").stream().allMatch(id ->
                            s.at("/streams/" + id + "/capture/state").asText().equals("running"))).path("streams");
            // each array's pose comes from the scene, and its truth is the same talker seen from its place
            assertEquals(5.7, streams.at("/east/pose/x").asDouble(), 0);
            assertEquals(135, streams.at("/east/pose/heading_deg").asDouble(), 0);
            assertEquals("east", streams.at("/east/source/truth/array").asText());
            assertEquals("talker", streams.at("/north/source/truth/talkers/0/name").asText());

            Path jar = Paths.get(System.getProperty("earshot.examples.dir")).resolve("fusion/target/io.earshot.examples.fusion-0.1.0-SNAPSHOT.jar");
            assertTrue("built by plugins-examples: " + jar, Files.isRegularFile(jar));
            Files.copy(jar, runtime.home.resolve("plugins/fusion.jar"));

            List<Double> three = errors(runtime, List.of("east", "main", "north"));
            double medianThree = median(three);
            assertTrue("three arrays: median error " + medianThree + " m over " + three, medianThree < MEDIAN_BOUND_M);

            // the same plugin told to fuse two of the streams, by its configuration file
            Files.writeString(runtime.home.resolve("conf/io.earshot.examples.fusion.cfg"), "room=6,5\nearshot.stream=main,east\n");
            List<Double> two = errors(runtime, List.of("east", "main"));
            double medianTwo = median(two);
            assertTrue("two arrays: median error " + medianTwo + " m over " + two, medianTwo < MEDIAN_BOUND_M);
            System.out.printf("room fusion: median error %.3f m with three arrays, %.3f m with two (%d samples each)%n",
                    medianThree, medianTwo, SAMPLES);
            // the map got the arrays and the estimate
            JsonNode status = runtime.awaitJson("/api/status", "the map", s -> true);
            assertTrue(status.toString(), status.toString().contains("\"base:map\""));
        }
    }
}
