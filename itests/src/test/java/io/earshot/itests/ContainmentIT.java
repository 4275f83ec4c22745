package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.itests.plugin.CrashingActivator;
import io.earshot.itests.plugin.ExitingActivator;
import io.earshot.itests.plugin.HaltingListener;
import io.earshot.itests.plugin.ReflectiveExitListener;
import io.earshot.itests.plugin.SpinningListener;

/**
 * Plugins that try to take the runtime down, in a runtime started as a user starts it: calls that
 * end the JVM are refused and reported, a plugin whose start killed the runtime is held back at
 * the next start until started by hand, and a plugin that keeps running after its stop is shown.
 */
public class ContainmentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "containment-token-0123456789abcdef";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    public void pluginsCallingExitAreRefusedAndTheRuntimeStreamsAlsoAfterARestart() throws Exception {
        RuntimeProcess first = RuntimeProcess.start(TOKEN);
        try {
            Path plugins = first.home.resolve("plugins");
            Files.write(plugins.resolve("exit-activator.jar"),
                    PluginJars.withActivator("io.earshot.itests.exitactivator", ExitingActivator.class));
            Files.write(plugins.resolve("halt-listener.jar"), PluginJars.build("io.earshot.itests.haltlistener",
                    PluginJars.listenerComponent("halter", HaltingListener.class), HaltingListener.class));
            Files.write(plugins.resolve("reflective-exit.jar"), PluginJars.build("io.earshot.itests.reflectiveexit",
                    PluginJars.listenerComponent("reflective", ReflectiveExitListener.class), ReflectiveExitListener.class));
            assertThreeRefusalsAndAStream(first);

            String log = Files.readString(first.home.resolve("earshot.log"));
            assertTrue(log, log.contains("plugin io.earshot.itests.exitactivator [") && log.contains("] called System.exit(3) at "
                    + ExitingActivator.class.getName() + ".start("));
            assertTrue(log, log.contains("refused, the runtime goes on; the plugin is stopped"));

            // the Plugins tab says it of each, under its row
            ChromeDriver browser = RuntimeProcess.browser();
            try {
                browser.get(first.url("/?token=" + TOKEN));
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.until(d -> d.findElement(By.cssSelector("[data-view=plugins]"))).click();
                List<WebElement> notes = wait.until(d -> {
                    List<WebElement> rows = d.findElements(By.cssSelector("#plugins tr.plugin-problem"));
                    return rows.size() == 3 ? rows : null;
                });
                String text = String.join("\n", notes.stream().map(WebElement::getText).toList());
                assertTrue(text, text.contains("called System.exit(3)") && text.contains("called Runtime.halt(4)")
                        && text.contains("called System.exit by reflection") && text.contains("plugins cannot end the runtime"));
            } finally {
                browser.quit();
            }
        } finally {
            first.close();
        }
        // the jars stay in plugins/: the next start comes up, streams and refuses them again
        try (RuntimeProcess again = first.restart()) {
            assertThreeRefusalsAndAStream(again);
            assertEquals(0, status(again).path("containment").path("held_back").size());
        }
    }

    private void assertThreeRefusalsAndAStream(RuntimeProcess runtime) throws Exception {
        JsonNode calls = until(runtime, "three refused calls", s -> s.path("containment").path("refused_calls").size() >= 3)
                .path("containment").path("refused_calls");
        assertEquals(calls.toString(), "System.exit(3)", refusal(calls, "io.earshot.itests.exitactivator").path("call").asText());
        assertTrue(calls.toString(), refusal(calls, "io.earshot.itests.exitactivator").path("where").asText()
                .startsWith(ExitingActivator.class.getName() + ".start("));
        assertEquals(calls.toString(), "Runtime.halt(4)", refusal(calls, "io.earshot.itests.haltlistener").path("call").asText());
        assertTrue(calls.toString(), refusal(calls, "io.earshot.itests.haltlistener").path("where").asText()
                .startsWith(HaltingListener.class.getName() + ".onBuffer("));
        assertEquals(calls.toString(), "System.exit by reflection",
                refusal(calls, "io.earshot.itests.reflectiveexit").path("call").asText());

        // each is stopped, with the reason in the plugin list
        JsonNode list = untilPlugins(runtime, "the three stopped", p -> count(p, n -> !n.path("state").asText().equals("active")
                && n.path("problem").asText().contains("refused, and the plugin was stopped")) == 3);
        assertEquals(list.toString(), 3, list.path("plugins").size());

        Thread.sleep(1000);
        assertTrue("the runtime lives on", runtime.isAlive());
        assertEquals("running", status(runtime).path("stream").path("capture").path("state").asText());
        WsClient audio = WsClient.connect(http, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio"));
        try {
            for (int i = 0; i < 3; i++) {
                audio.nextBinary();
            }
        } finally {
            audio.close();
        }
    }

    @Test
    public void aPluginWhoseStartKilledTheRuntimeIsHeldBackAndCanBeStartedByHand() throws Exception {
        RuntimeProcess first = RuntimeProcess.start(TOKEN);
        Path crashOnStart = first.home.resolve("data/crash-on-start");
        try {
            Files.createFile(crashOnStart);
            Files.write(first.home.resolve("plugins/crasher.jar"),
                    PluginJars.withActivator("io.earshot.itests.crasher", CrashingActivator.class));
            assertTrue("the plugin's start was to kill the runtime", first.awaitExit(30));
        } finally {
            first.close();
        }
        long id;
        try (RuntimeProcess second = first.restart()) {
            JsonNode held = until(second, "the crasher held back", s -> s.path("containment").path("held_back").size() == 1)
                    .path("containment").path("held_back").get(0);
            assertEquals(held.toString(), "io.earshot.itests.crasher", held.path("name").asText());
            JsonNode plugin = untilPlugins(second, "the crasher listed", p -> count(p, n -> true) == 1).path("plugins").get(0);
            assertEquals(plugin.toString(), "held back", plugin.path("state").asText());
            assertTrue(plugin.toString(), plugin.path("problem").asText().startsWith("held back: the runtime ended while this plugin was starting"));
            String log = Files.readString(second.home.resolve("earshot.log"));
            assertTrue(log, log.contains("plugin io.earshot.itests.crasher [") && log.contains("is held back: the runtime ended while it was starting"));
            assertEquals("running", status(second).path("stream").path("capture").path("state").asText());

            // fixed (no more crash file): started by hand, it runs
            Files.delete(crashOnStart);
            id = plugin.path("id").asLong();
            HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(second.url("/api/plugins/" + id + "/start")))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(start.body(), 200, start.statusCode());
            assertEquals(start.body(), "active", JSON.readTree(start.body()).path("state").asText());
            assertEquals(0, status(second).path("containment").path("held_back").size());
        }
        // a clean stop is not a crash: the next start starts it as usual
        try (RuntimeProcess third = first.restart()) {
            untilPlugins(third, "the plugin active", p -> count(p, n -> n.path("state").asText().equals("active")) == 1);
            assertEquals(0, status(third).path("containment").path("held_back").size());
        }
    }

    @Test
    public void aPluginStuckInABusyLoopIsShownAfterItsStopAndRemoval() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN)) {
            Files.write(runtime.home.resolve("plugins/spinner.jar"), PluginJars.build("io.earshot.itests.spinner",
                    PluginJars.listenerComponent("spinner", SpinningListener.class), SpinningListener.class));
            long id = untilPlugins(runtime, "the spinner active", p -> count(p, n -> n.path("state").asText().equals("active")) == 1)
                    .path("plugins").get(0).path("id").asLong();
            Thread.sleep(1000); // into its first buffer, which never ends
            HttpResponse<String> stop = http.send(HttpRequest.newBuilder(URI.create(runtime.url("/api/plugins/" + id + "/stop")))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(stop.body(), 200, stop.statusCode());

            JsonNode thread = untilPlugins(runtime, "its lingering thread", p -> p.path("plugins").path(0).path("lingering_threads").size() == 1)
                    .path("plugins").get(0).path("lingering_threads").get(0);
            assertEquals(thread.toString(), "earshot-listener-spinner", thread.path("thread").asText());
            assertTrue(thread.toString(), thread.path("where").asText().startsWith(SpinningListener.class.getName() + ".onBuffer("));
            JsonNode later = untilPlugins(runtime, "CPU counted since the stop",
                    p -> p.path("plugins").path(0).path("lingering_threads").path(0).path("cpu_ms_since_stop").asLong() > 200)
                    .path("plugins").get(0).path("lingering_threads").get(0);
            assertEquals("RUNNABLE", later.path("state").asText());
            String log = Files.readString(runtime.home.resolve("earshot.log"));
            assertTrue(log, log.contains("plugin io.earshot.itests.spinner [" + id + "] was stopped but its thread 'earshot-listener-spinner'"
                    + " is still running"));

            ChromeDriver browser = RuntimeProcess.browser();
            try {
                browser.get(runtime.url("/?token=" + TOKEN));
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.until(d -> d.findElement(By.cssSelector("[data-view=plugins]"))).click();
                String note = wait.until(d -> d.findElements(By.cssSelector("#plugins tr.plugin-problem")).stream()
                        .findFirst().map(WebElement::getText).orElse(null));
                assertTrue(note, note.contains("stopped, but its code still runs: thread 'earshot-listener-spinner' (RUNNABLE")
                        && note.contains("restart Earshot to end it"));

                HttpResponse<String> remove = http.send(HttpRequest.newBuilder(URI.create(runtime.url("/api/plugins/" + id)))
                        .header("Authorization", "Bearer " + TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(remove.body(), 202, remove.statusCode());
                JsonNode removed = untilPlugins(runtime, "the removed plugin's thread", p -> p.path("removed_but_running").size() == 1)
                        .path("removed_but_running").get(0);
                assertEquals(removed.toString(), "io.earshot.itests.spinner", removed.path("name").asText());
                String shown = wait.until(d -> {
                    WebElement notice = d.findElement(By.id("plugins-removed-running"));
                    return notice.isDisplayed() ? notice.getText() : null;
                });
                assertTrue(shown, shown.contains("io.earshot.itests.spinner was removed, but its code still runs"));
            } finally {
                browser.quit();
            }
            assertFalse(status(runtime).path("containment").path("lingering_threads").isEmpty());
        }
    }

    private static JsonNode refusal(JsonNode calls, String bundleName) {
        for (JsonNode call : calls) {
            if (call.path("name").asText().equals(bundleName)) return call;
        }
        throw new AssertionError("no refused call of " + bundleName + " in " + calls);
    }

    private static long count(JsonNode answer, Predicate<JsonNode> which) {
        long n = 0;
        for (JsonNode plugin : answer.path("plugins")) {
            if (which.test(plugin)) n++;
        }
        return n;
    }

    private JsonNode status(RuntimeProcess runtime) throws Exception {
        return JSON.readTree(runtime.awaitHttp("/api/status", 10));
    }

    private JsonNode until(RuntimeProcess runtime, String what, Predicate<JsonNode> wanted) throws Exception {
        return poll(runtime, "/api/status", what, wanted);
    }

    private JsonNode untilPlugins(RuntimeProcess runtime, String what, Predicate<JsonNode> wanted) throws Exception {
        return poll(runtime, "/api/plugins", what, wanted);
    }

    private JsonNode poll(RuntimeProcess runtime, String path, String what, Predicate<JsonNode> wanted) throws Exception {
        return runtime.awaitJson(path, what, wanted);
    }
}
