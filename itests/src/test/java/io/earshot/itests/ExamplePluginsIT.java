package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The example plugins as a user drops them in: their jars, built by plugins-examples, copied into
 * plugins/. Each receives the stream without a failed callback and its handler shows on /ws/ui
 * with data.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExamplePluginsIT extends EarshotTestSupport {

    private static final Map<String, String> HANDLERS = Map.of("levels", "Levels", "spectrum", "Spectrum",
            "spectrogram", "Spectrogram (channel 0)", "playback", "Playback", "doa", "Direction of arrival",
            "vad", "Voice activity", "beamformer", "Beamformer");

    private JsonNode listener(String name) throws Exception {
        for (JsonNode listener : status().at("/stream/listeners")) {
            if (name.equals(listener.get("name").asText())) return listener;
        }
        return null;
    }

    @Test
    public void theExamplesRunAndDraw() throws Exception {
        awaitHandlerTypes();
        Path examples = Paths.get(System.getProperty("earshot.examples.dir"));
        for (String name : HANDLERS.keySet()) {
            Path jar = examples.resolve(name + "/target/io.earshot.examples." + name + "-0.1.0-SNAPSHOT.jar");
            assertTrue("built by plugins-examples: " + jar, Files.isRegularFile(jar));
            Files.copy(jar, home().resolve("plugins/" + name + ".jar"));
        }
        for (String name : HANDLERS.keySet()) {
            await(name + " receiving buffers", 30, () -> safely(() -> listener(name) != null
                    && listener(name).get("delivered").asLong() >= 3));
            assertEquals(name + " failed no callback", 0, listener(name).get("failed").asLong());
        }

        WsClient ui = WsClient.connect(http, ws("/ws/ui?token=" + TOKEN));
        try {
            Map<String, String> ids = new HashMap<>();
            Map<String, Integer> data = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && !(ids.size() == HANDLERS.size() && data.size() == HANDLERS.size() - 2)) {
                WsClient.Message m = ui.messages.poll(1, TimeUnit.SECONDS);
                if (m == null || !m.isText()) continue;
                JsonNode message = JSON.readTree(m.text());
                for (JsonNode handler : message.path("handlers")) ids.put(handler.get("id").asText(), handler.get("name").asText());
                if (message.has("add")) ids.put(message.at("/add/id").asText(), message.at("/add/name").asText());
                if (message.has("data") && ids.containsKey(message.at("/data/id").asText())) {
                    data.merge(ids.get(message.at("/data/id").asText()), 1, Integer::sum);
                }
            }
            assertTrue("handlers: " + ids.values(), ids.values().containsAll(HANDLERS.values()));
            // the playback handler gets audio (binary), the others JSON data
            assertTrue("data for " + data.keySet(), data.keySet().containsAll(
                    List.of("Levels", "Spectrum", "Spectrogram (channel 0)", "Direction of arrival", "Voice activity")));
        } finally {
            ui.close();
        }
        // the DOA estimate follows the simulated source around the array (it moves 20 degrees a second)
        List<Double> errors = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            JsonNode status = status();
            double truth = status.at("/stream/source/truth/azimuth_deg").asDouble();
            JsonNode estimate = status.at("/doa/azimuth_deg");
            if (estimate.isNumber()) {
                double d = Math.abs(estimate.asDouble() - truth) % 360;
                errors.add(Math.min(d, 360 - d));
            }
            Thread.sleep(250);
        }
        java.util.Collections.sort(errors);
        System.out.println("DOA-TRACKING error against the simulated truth, degrees, sorted: " + errors);
        assertTrue("DOA estimates: " + errors, errors.size() >= 10);
        assertTrue("median error against the simulated truth, degrees: " + errors, errors.get(errors.size() / 2) < 8);
        for (String name : HANDLERS.keySet()) {
            Files.delete(home().resolve("plugins/" + name + ".jar"));
        }
        await("the examples gone", 30, () -> safely(() -> HANDLERS.keySet().stream().allMatch(n -> safely(() -> listener(n) == null))));
    }

    /** The project the archetype generates (built by the archetype's own integration test) hot-deploys. */
    @Test
    public void aProjectFromTheArchetypeHotDeploys() throws Exception {
        Path jar = Paths.get(System.getProperty("earshot.examples.dir"))
                .resolve("archetype/target/test-classes/projects/basic/project/my-plugin/target/my-plugin-1.0.0.jar");
        assertTrue("built by the archetype's integration test: " + jar, Files.isRegularFile(jar));
        awaitHandlerTypes();
        Files.copy(jar, home().resolve("plugins/my-plugin.jar"));
        await("the generated plugin receiving buffers", 30, () -> safely(() -> listener("my-levels") != null
                && listener("my-levels").get("delivered").asLong() >= 3 && listener("my-levels").get("failed").asLong() == 0));
        await("its chart on the dashboard", 10, () -> safely(() -> status().at("/dashboard/handlers").toString().contains("\"name\":\"my-levels\"")));
        Files.delete(home().resolve("plugins/my-plugin.jar"));
        await("it is gone", 30, () -> safely(() -> listener("my-levels") == null));
    }
}
