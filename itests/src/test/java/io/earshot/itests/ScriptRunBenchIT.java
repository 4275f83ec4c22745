package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The script benchmark (issue 8), not a test: run by {@code benchmarks/run-scripts.sh}
 * ({@code -Dearshot.bench=true}). Against a runtime started with {@code bin/earshot}, each run
 * sends a script to {@code /ws/scripts} as the editor does and measures, on the wall clock, from
 * the send to the first buffer the script receives (it prints the time; compile, install and
 * start are all inside).
 */
public class ScriptRunBenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = String.join("\n",
            "import io.earshot.api.*;",
            "public class Bench implements AudioListener {",
            "    private boolean first = true;",
            "    public void onBuffer(AudioBuffer buffer) {",
            "        if (first) System.out.println(\"FIRST \" + System.currentTimeMillis());",
            "        first = false;",
            "    }",
            "}");

    @Test
    public void runToFirstBuffer() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-scripts.sh", Boolean.getBoolean("earshot.bench"));
        int runs = Integer.getInteger("earshot.bench.runs", 10);
        try (RuntimeProcess runtime = RuntimeProcess.start("scripts-bench-token-0123456789")) {
            Thread.sleep(5_000);
            WsClient channel = WsClient.connect(HttpClient.newHttpClient(),
                    URI.create("ws://127.0.0.1:" + runtime.port + "/ws/scripts?token=" + runtime.token));
            List<Long> total = new ArrayList<>();
            List<Long> compileInstallStart = new ArrayList<>();
            for (int run = 0; run <= runs; run++) {
                String name = "bench-" + run;
                ObjectNode message = JSON.createObjectNode().put("type", "run").put("name", name).put("source", SCRIPT);
                long start = System.currentTimeMillis();
                channel.send(message.toString());
                Long first = null;
                long started = -1;
                while (first == null) {
                    JsonNode m = JSON.readTree(channel.nextText());
                    String type = m.path("type").asText();
                    if (type.equals("failed")) throw new AssertionError(m.toString());
                    if (type.equals("started")) started = m.get("millis").asLong();
                    if (type.equals("output") && m.get("name").asText().equals(name) && m.get("text").asText().startsWith("FIRST ")) {
                        first = Long.parseLong(m.get("text").asText().substring(6));
                    }
                }
                // run 0 is the compiler's first use in this JVM: reported, not in the median
                if (run == 0) {
                    System.out.println("SCRIPTS first run after start: " + (first - start) + " ms to first buffer, "
                            + started + " ms compile+install+start");
                } else {
                    total.add(first - start);
                    compileInstallStart.add(started);
                }
                channel.send(JSON.createObjectNode().put("type", "stop").put("name", name).toString());
                Thread.sleep(1_000);
            }
            channel.close();
            System.out.println("SCRIPTS run to first buffer, ms, " + runs + " runs: " + total);
            System.out.println("SCRIPTS compile+install+start, ms: " + compileInstallStart);
            System.out.println("SCRIPTS median " + median(total) + " ms (compile+install+start median " + median(compileInstallStart)
                    + " ms), min " + Collections.min(total) + " ms, max " + Collections.max(total) + " ms");
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
