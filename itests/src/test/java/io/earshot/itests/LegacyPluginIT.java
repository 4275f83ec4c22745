package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plugin built outside the project against API 1.3.0 (the plugin archetype of that time,
 * its jar kept as it was built: it imports {@code io.earshot.api;version="[1.3,2)"}) still
 * deploys into today's runtime, receives buffers and draws its chart; with a second stream
 * running beside main (API 1.7), it hears main alone, as it was written to.
 */
public class LegacyPluginIT {

    private static final String TOKEN = "legacy-itest-token-0123456789";
    private static final String JAR = "legacy/legacy-levels-built-against-api-1.3.0.jar";

    @Test
    public void aPluginBuiltAgainstApi130RunsAndDraws() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN, 0, java.util.Map.of("io.earshot.stream~second.cfg", "source=synthetic\n"));
             InputStream jar = LegacyPluginIT.class.getClassLoader().getResourceAsStream(JAR)) {
            Files.copy(jar, runtime.home.resolve("plugins/legacy-levels.jar"));
            JsonNode plugin = runtime.awaitJson("/api/plugins", "legacy-levels active with buffers and its handler", answer -> {
                JsonNode p = find(answer.path("plugins"), "name", "legacy-levels");
                return p != null && p.path("state").asText().equals("active") && p.path("buffers_delivered").asLong() > 10
                        && p.path("handlers").toString().equals("[\"legacy levels\"]");
            });
            JsonNode found = find(plugin.path("plugins"), "name", "legacy-levels");
            assertEquals(0, found.path("buffers_dropped").asLong() + found.path("callbacks_failed").asLong());
            assertTrue(found.path("problem").isNull());
            JsonNode status = runtime.awaitJson("/api/status", "its chart's data sent", answer -> {
                JsonNode handler = find(answer.at("/dashboard/handlers"), "name", "legacy levels");
                return handler != null && handler.path("sent").asLong() > 10 && handler.path("refused").asLong() == 0;
            });
            assertTrue(find(status.at("/dashboard/handlers"), "name", "legacy levels").path("owner").asText().startsWith("legacy-levels ["));
            JsonNode streams = runtime.awaitJson("/api/status", "the second stream running", answer ->
                    answer.at("/streams/second/capture/state").asText().equals("running")).path("streams");
            assertTrue(streams.at("/main/listeners").toString(), streams.at("/main/listeners").toString().toLowerCase().contains("legacy"));
            assertTrue(streams.at("/second/listeners").toString(), !streams.at("/second/listeners").toString().toLowerCase().contains("legacy"));
        }
    }

    private static JsonNode find(JsonNode list, String key, String value) {
        for (JsonNode item : list) {
            if (item.path(key).asText().equals(value)) return item;
        }
        return null;
    }

}
