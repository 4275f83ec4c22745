package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;

import io.earshot.scripts.runtime.Scripts;

/** Scripts: one Java source compiled in the runtime, run as a plugin, replaced, stopped. */
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

    @Test
    public void aScriptRunsDrawsAndStops() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        awaitHandlerTypes();
        Scripts.Result result = scripts().run("hello", CHART);
        assertTrue(result.toString(), result.started());
        await("the script receiving buffers", 20, () -> safely(() -> listener("hello") != null && listener("hello").get("delivered").asLong() >= 3));
        assertTrue(handler("hello chart"));

        // running it again replaces it: still one chart
        assertTrue(scripts().run("hello", CHART).started());
        await("the new version receiving", 20, () -> safely(() -> listener("hello") != null && listener("hello").get("delivered").asLong() >= 2));
        assertEquals(1, status().at("/dashboard/handlers").findValuesAsText("name").stream().filter("hello chart"::equals).count());

        assertTrue(scripts().stop("hello"));
        await("the script gone", 20, () -> safely(() -> listener("hello") == null && !handler("hello chart")));
        assertTrue(Arrays.stream(context.getBundles()).noneMatch(b -> b.getSymbolicName().equals("io.earshot.script.hello")));
    }

    @Test
    public void aSyntaxErrorComesBackWithItsLineAndInstallsNothing() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        String broken = "import io.earshot.api.*;\npublic class Broken implements AudioListener {\n    public void onBuffer(AudioBuffer b) { int x = ; }\n}";
        Scripts.Result result = scripts().run("broken", broken);
        assertFalse(result.started());
        assertEquals("the script did not compile", result.error());
        Scripts.Diagnostic first = result.diagnostics().get(0);
        assertEquals("error", first.kind());
        assertEquals(3, first.line());
        assertTrue(first.toString(), first.column() > 40);
        assertTrue(Arrays.stream(context.getBundles()).noneMatch(b -> b.getSymbolicName().equals("io.earshot.script.broken")));
        assertEquals("a script's name is 1..40 of a-z, 0-9 and '-', starting with a letter or digit; got 'Bad Name'",
                scripts().run("Bad Name", broken).error());
    }

    @Test
    public void aScriptStuckInALoopDoesNotCostAClientABufferAndStops() throws Exception {
        await("the scripts service", 20, () -> context.getServiceReference(Scripts.class) != null);
        String stuck = "import io.earshot.api.*;\npublic class Stuck implements AudioListener {\n"
                // never returns from its first buffer; it ends only when its thread is interrupted (Stop),
                // so that it does not spin on in this test JVM after the test
                + "    public void onBuffer(AudioBuffer b) { while (!Thread.currentThread().isInterrupted()) { Math.sqrt(b.sequence()); } }\n}";
        assertTrue(scripts().run("stuck", stuck).started());
        await("the script stuck in its first buffer", 20, () -> safely(() -> listener("stuck") != null && listener("stuck").get("dropped").asLong() > 5));
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
        await("the stuck script removed", 20, () -> safely(() -> listener("stuck") == null));
    }
}
