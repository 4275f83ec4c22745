package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.earshot.api.runtime.PluginContainment;
import io.earshot.scripts.runtime.Scripts;

/**
 * Scripts: one Java source compiled in the runtime, run as a plugin, replaced, stopped; through
 * {@code /ws/scripts} as the editor and other clients use it, and through the service.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ScriptIT extends EarshotTestSupport {

    private static final String CHART = String.join("\n",
            "import java.util.List;",
            "import java.util.Map;",
            "import io.earshot.api.*;",
            "public class Hello implements AudioListener {",
            "    private final Handler chart;",
            "    private long n;",
            "    public Hello(Dashboard dashboard) {",
            "        System.out.println(\"hello from the constructor\");",
            "        chart = dashboard.handler(\"hello chart\", \"base:graph:line\", Map.of(\"series\", List.of(Map.of())));",
            "    }",
            "    public void onBuffer(AudioBuffer buffer) {",
            "        if (n == 0) System.out.println(\"hello from a script\");",
            "        chart.send(Map.of(\"add\", List.of(Map.of(\"x\", List.of(n), \"y\", List.of(n++)))));",
            "    }",
            "}");

    private Scripts scripts() {
        ServiceReference<Scripts> reference = context.getServiceReference(Scripts.class);
        return context.getService(reference);
    }

    private JsonNode listener(String name) throws Exception {
        for (JsonNode l : status().at("/stream/listeners")) if (name.equals(l.get("name").asText())) return l;
        return null;
    }

    private boolean handler(String name) throws Exception {
        return status().at("/dashboard/handlers").toString().contains("\"name\":\"" + name + "\"");
    }

    private boolean bundleInstalled(String script) {
        return Arrays.stream(context.getBundles()).anyMatch(b -> b.getSymbolicName().equals("io.earshot.script." + script));
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private WsClient scriptChannel(boolean withToken) throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        WsClient client = WsClient.connect(http, ws("/ws/scripts" + (withToken ? "?token=" + TOKEN : "")));
        JsonNode hello = JSON.readTree(client.nextText());
        assertEquals("hello", hello.get("type").asText());
        assertEquals(withToken, hello.get("authorized").asBoolean());
        assertTrue(hello.toString(), hello.get("compiler").asBoolean());
        return client;
    }

    private static String run(String name, String source) {
        ObjectNode run = JSON.createObjectNode();
        run.put("type", "run");
        run.put("name", name);
        run.put("source", source);
        return run.toString();
    }

    /** Reads messages until one matches, within 30 s; what was skipped is kept for the failure message. */
    private static JsonNode until(WsClient client, Predicate<JsonNode> wanted) throws Exception {
        List<String> skipped = new ArrayList<>();
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            WsClient.Message m = client.next();
            if (!m.isText()) continue;
            JsonNode message = JSON.readTree(m.text());
            if (wanted.test(message)) return message;
            if (skipped.size() < 20) skipped.add(m.text());
        }
        throw new AssertionError("no such message within 30 s; got " + skipped);
    }

    private static Predicate<JsonNode> type(String type) {
        return m -> type.equals(m.path("type").asText());
    }

    @Test
    public void aScriptRunOverTheChannelDrawsPrintsAndStopsWithEverythingItMade() throws Exception {
        awaitHandlerTypes();
        WsClient ui = WsClient.connect(http, ws("/ws/ui?token=" + TOKEN));
        WsClient channel = scriptChannel(true);
        try {
            channel.send(run("hello", CHART));
            assertEquals("compiling", until(channel, type("compiling").or(type("error"))).get("type").asText());
            // the constructor prints while the bundle starts, before "started" goes out
            List<JsonNode> output = new ArrayList<>();
            JsonNode started = until(channel, m -> {
                if (m.path("type").asText().equals("output")) output.add(m);
                return m.path("type").asText().matches("started|failed");
            });
            assertEquals(started.toString(), "started", started.get("type").asText());
            JsonNode first = output.isEmpty() ? until(channel, type("output")) : output.get(0);
            assertEquals("hello", first.get("name").asText());
            assertEquals("hello from the constructor", first.get("text").asText());
            assertEquals("stdout", first.get("stream").asText());
            JsonNode second = output.size() > 1 ? output.get(1) : until(channel, type("output"));
            assertEquals("hello from a script", second.get("text").asText());
            // the browser's channel: the handler is added and draws
            JsonNode added = until(ui, m -> m.has("add") && m.get("add").path("name").asText().equals("hello chart"));
            String handlerId = added.get("add").get("id").asText();
            until(ui, m -> m.has("data") && m.get("data").path("id").asText().equals(handlerId));
            assertTrue(threadAlive("earshot-listener-script:hello"));
            assertEquals("hello", status().at("/scripts/running/0/name").asText());
            assertTrue(status().at("/stream/listeners").toString().contains("script:hello"));

            channel.send("{\"type\":\"stop\",\"name\":\"hello\",\"id\":\"s1\"}");
            JsonNode stopped = until(channel, type("stopped").or(type("error")));
            assertEquals(stopped.toString(), "stopped", stopped.get("type").asText());
            assertEquals("s1", stopped.get("id").asText());
            assertEquals(handlerId, until(ui, m -> m.has("remove")).get("remove").asText());
            await("the script's bundle, listener, handler and thread gone", 20, () -> safely(() -> !bundleInstalled("hello")
                    && listener("script:hello") == null && !handler("hello chart") && !threadAlive("earshot-listener-script:hello")));
            channel.send("{\"type\":\"list\",\"id\":\"after\"}");
            assertEquals("[]", until(channel, m -> m.path("id").asText().equals("after")).get("scripts").toString());
        } finally {
            channel.close();
            ui.close();
        }
    }

    @Test
    public void aSyntaxErrorComesBackWithItsLineAndColumnAndInstallsNothing() throws Exception {
        WsClient channel = scriptChannel(true);
        try {
            String broken = "import io.earshot.api.*;\npublic class Broken implements AudioListener {\n"
                    + "    public void onBuffer(AudioBuffer b) { int x = ; }\n}";
            channel.send(run("broken", broken));
            JsonNode failed = until(channel, type("failed").or(type("started")));
            assertEquals(failed.toString(), "failed", failed.get("type").asText());
            assertEquals("the script did not compile", failed.get("error").asText());
            JsonNode first = failed.get("diagnostics").get(0);
            assertEquals("error", first.get("kind").asText());
            assertEquals(3, first.get("line").asInt());
            assertEquals(first.toString(), broken.split("\n")[2].indexOf("= ;") + 3, first.get("column").asInt());
            assertFalse(bundleInstalled("broken"));

            channel.send(run("Bad Name", broken));
            assertEquals("a script's name is 1..40 of a-z, 0-9 and '-', starting with a letter or digit; got 'Bad Name'",
                    until(channel, type("failed")).get("error").asText());
            channel.send("{\"type\":\"run\",\"name\":\"x\"}");
            assertEquals("run needs \"source\": the Java source, as a string", until(channel, type("error")).get("error").asText());
            channel.send("not json");
            assertTrue(until(channel, type("error")).get("error").asText().contains("\"run\", \"stop\" or \"list\""));
            channel.send("{\"type\":\"stop\",\"name\":\"nothing\"}");
            assertTrue(until(channel, type("error")).get("error").asText().startsWith("no script named 'nothing' is running"));
            // the channel is still usable after all that
            channel.send("{\"type\":\"list\",\"id\":\"l\"}");
            assertEquals("l", until(channel, type("scripts")).get("id").asText());
        } finally {
            channel.close();
        }
    }

    @Test
    public void callsWithoutTheTokenAreRefusedAndHearNoOutput() throws Exception {
        WsClient anonymous = scriptChannel(false);
        try {
            anonymous.send(run("sneaky", CHART));
            JsonNode refused = until(anonymous, type("error").or(type("compiling")));
            assertEquals("run needs the access token: connect with ?token= or Authorization: Bearer", refused.get("error").asText());
            anonymous.send("{\"type\":\"stop\",\"name\":\"sneaky\"}");
            assertTrue(until(anonymous, type("error")).get("error").asText().startsWith("stop needs the access token"));
            assertFalse(bundleInstalled("sneaky"));
            assertEquals("the examples are readable by anyone", 200, get("/api/scripts/examples").statusCode());
        } finally {
            anonymous.close();
        }
        WsClient wrongToken = WsClient.connect(http, ws("/ws/scripts?token=not-the-token"));
        try {
            assertFalse(JSON.readTree(wrongToken.nextText()).get("authorized").asBoolean());
        } finally {
            wrongToken.close();
        }
    }

    @Test
    public void aScriptStuckInAnEndlessLoopDoesNotCostAClientABufferAndStillStops() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        // never returns from its first buffer, and ignores interrupts
        String stuck = "import io.earshot.api.*;\npublic class Stuck implements AudioListener {\n"
                + "    double sink;\n"
                + "    public void onBuffer(AudioBuffer b) { while (true) { sink += Math.sqrt(b.sequence()); } }\n}";
        assertTrue(scripts().run("stuck", stuck).started());
        await("the script stuck in its first buffer", 20, () -> safely(() -> listener("script:stuck") != null
                && listener("script:stuck").get("dropped").asLong() > 5));
        WsClient audio = WsClient.connect(http, ws("/ws/audio?header=1"));
        List<Long> sequences = new ArrayList<>();
        try {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                WsClient.Message m = audio.next();
                if (!m.isText()) sequences.add(ByteBuffer.wrap(m.binary()).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
            }
        } finally {
            audio.close();
        }
        assertTrue("buffers: " + sequences.size(), sequences.size() >= 30);
        for (int i = 1; i < sequences.size(); i++) assertEquals(sequences.get(i - 1) + 1, (long) sequences.get(i));
        assertTrue(scripts().stop("stuck"));
        await("the stuck script and its thread gone", 20, () -> safely(() -> listener("script:stuck") == null
                && !bundleInstalled("stuck") && !threadAlive("earshot-listener-script:stuck")));
    }

    @Test
    public void aScriptCallingSystemExitIsRefusedWhenCompiledAndByReflectionWhenItRuns() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        String quitter = "import io.earshot.api.*;\npublic class Quitter implements AudioListener {\n"
                + "    public Quitter() { System.exit(2); }\n    public void onBuffer(AudioBuffer b) { }\n}";
        Scripts.Result refused = scripts().run("quitter", quitter);
        assertFalse(refused.started());
        assertEquals("the script calls System.exit (line 3): refused, nothing was installed", refused.error());
        Scripts.Diagnostic marked = refused.diagnostics().get(refused.diagnostics().size() - 1);
        assertEquals("error", marked.kind());
        assertEquals(3, marked.line());
        assertTrue(marked.message(), marked.message().startsWith("System.exit would end the whole Earshot runtime"));
        assertFalse(bundleInstalled("quitter"));

        // past the compiler's check: the call is refused when it runs (this JVM is the runtime: the test goes on only if so)
        String sneaky = "import io.earshot.api.*;\npublic class Sneaky implements AudioListener {\n"
                + "    public Sneaky() throws Exception { System.class.getMethod(\"exit\", int.class).invoke(null, 2); }\n"
                + "    public void onBuffer(AudioBuffer b) { }\n}";
        scripts().run("sneaky-exit", sneaky);
        PluginContainment containment = context.getService(context.getServiceReference(PluginContainment.class));
        await("the reflective exit refused", 20, () -> containment.refusedCalls().stream().anyMatch(call ->
                call.bundleName().equals("io.earshot.script.sneaky-exit") && call.call().equals("System.exit by reflection")));
        scripts().stop("sneaky-exit");
    }

    @Test
    public void runningANameAgainReplacesIt() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        awaitHandlerTypes();
        Scripts.Result result = scripts().run("again", CHART);
        assertTrue(result.toString(), result.started());
        await("the script receiving buffers", 20, () -> safely(() -> listener("script:again") != null
                && listener("script:again").get("delivered").asLong() >= 3));
        assertTrue(scripts().run("again", CHART).started());
        await("the new version receiving", 20, () -> safely(() -> listener("script:again") != null
                && listener("script:again").get("delivered").asLong() >= 2));
        assertEquals(1, status().at("/dashboard/handlers").findValuesAsText("name").stream().filter("hello chart"::equals).count());
        assertEquals(1, scripts().running().size());
        assertTrue(scripts().stop("again"));
    }

    @Test
    public void aScriptOutlivesTheRestartOfTheDashboardItWasGiven() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        awaitHandlerTypes();
        Scripts.Result result = scripts().run("survivor", CHART);
        assertTrue(result.toString(), result.started());
        await("its chart", 20, () -> safely(() -> handler("hello chart")));
        org.osgi.framework.Bundle dashboard = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("io.earshot.dashboard")).findFirst().orElseThrow();
        dashboard.stop();
        await("the script taken down with the dashboard", 20, () -> safely(() -> listener("script:survivor") == null));
        dashboard.start();
        awaitHandlerTypes();
        await("the script made again, drawing", 30, () -> safely(() -> handler("hello chart") && listener("script:survivor") != null
                && listener("script:survivor").get("delivered").asLong() >= 3));
        assertEquals(1, status().at("/dashboard/handlers").findValuesAsText("name").stream().filter("hello chart"::equals).count());
        assertTrue(scripts().stop("survivor"));
    }

    @Test
    public void everyExampleOfTheMenuCompilesAndRuns() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        awaitHandlerTypes();
        JsonNode examples = JSON.readTree(get("/api/scripts/examples").body());
        List<String> names = examples.findValuesAsText("name");
        assertTrue(names.toString(), names.containsAll(List.of("beamformer", "doa", "fusion", "levels", "playback", "spectrogram", "spectrum", "vad")));
        for (String name : names) {
            HttpResponse<String> source = get("/api/scripts/examples/" + name);
            assertEquals(200, source.statusCode());
            Scripts.Result result = scripts().run(name, source.body());
            assertTrue(name + ": " + result, result.started());
        }
        for (String name : names) {
            await(name + " receiving buffers without failing", 30, () -> safely(() -> listener("script:" + name) != null
                    && listener("script:" + name).get("delivered").asLong() >= 2 && listener("script:" + name).get("failed").asLong() == 0));
        }
        for (String name : names) assertTrue(scripts().stop(name));
        assertEquals(404, get("/api/scripts/examples/nope").statusCode());
    }

    @Test
    public void theExecutorSwitchedOffInItsConfigurationStopsScriptsAndSaysWhy() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        assertTrue(scripts().run("before-off", CHART).started());
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        Configuration configuration = context.getService(ref).getConfiguration("io.earshot.scripts", "?");
        try {
            configuration.update(new Hashtable<>(Map.of("enabled", "false")));
            await("the running script stopped", 20, () -> !bundleInstalled("before-off"));
            WsClient channel = WsClient.connect(http, ws("/ws/scripts?token=" + TOKEN));
            try {
                JsonNode hello = JSON.readTree(channel.nextText());
                assertFalse(hello.get("enabled").asBoolean());
                String reason = "the script executor is switched off (enabled=false in conf/io.earshot.scripts.cfg)";
                assertEquals(reason, hello.get("reason").asText());
                channel.send(run("while-off", CHART));
                assertEquals(reason, until(channel, type("failed")).get("error").asText());
                assertFalse(bundleInstalled("while-off"));
            } finally {
                channel.close();
            }
        } finally {
            configuration.update(new Hashtable<>(Map.of("enabled", "true")));
            context.ungetService(ref);
        }
        await("scripts running again", 20, () -> scripts().unavailable() == null);
    }
}
