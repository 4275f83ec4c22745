package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.itests.plugin.MqttLoadPlugin;

/**
 * The MQTT benchmark (issue 21), not a test: run by {@code benchmarks/run-mqtt.sh}
 * ({@code -Dearshot.bench=true}); skipped in the normal build. A plugin drives eight charts at
 * 20 updates a second each; the runtime's CPU is read with MQTT off, then with it publishing to
 * a local Mosquitto (handlerRateHz 20, so nothing is coalesced), where mosquitto_sub counts what
 * arrives. Prints the figures; asserts nothing about speed.
 */
public class MqttBenchIT {

    private static final String TOKEN = "mqtt-bench-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static long cpuTicks(long pid) throws Exception {
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst(".*\\) ", "").split(" ");
        return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    }

    /** % of one core over {@code seconds} (USER_HZ 100). */
    private static double cpu(long pid, int seconds) throws Exception {
        long c0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (cpuTicks(pid) - c0) / 100.0 / ((System.nanoTime() - t0) / 1e9) * 100;
    }

    @Test
    public void mqttLoad() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-mqtt.sh", Boolean.getBoolean("earshot.bench"));
        int seconds = Integer.getInteger("earshot.bench.seconds", 20);
        int runs = Integer.getInteger("earshot.bench.runs", 3);
        try (Mosquitto broker = new Mosquitto(RuntimeProcess.TARGET.resolve("mqtt-bench/broker-" + System.nanoTime()), null, null);
             RuntimeProcess runtime = RuntimeProcess.start(TOKEN)) {
            Files.write(runtime.home.resolve("plugins/mqtt-load.jar"), PluginJars.build("io.earshot.bench.mqttload",
                    "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"mqtt-load\""
                            + " init=\"1\" immediate=\"true\" deactivate=\"close\">"
                            + "<implementation class=\"" + MqttLoadPlugin.class.getName() + "\"/>"
                            + "<reference name=\"dashboard\" interface=\"io.earshot.api.Dashboard\" parameter=\"0\"/>"
                            + "</scr:component>", MqttLoadPlugin.class));
            Thread.sleep(5_000); // plugin installed, JIT warm
            List<Double> off = new ArrayList<>();
            for (int run = 0; run < runs; run++) off.add(cpu(runtime.pid(), seconds));

            Files.writeString(runtime.home.resolve("conf/io.earshot.mqtt.cfg"),
                    "broker=tcp://127.0.0.1:" + broker.port + "\nnode=bench\nhandlerRateHz=20\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!JSON.readTree(runtime.awaitHttp("/api/status", 5)).at("/mqtt/connected").asBoolean()) {
                if (System.nanoTime() > deadline) throw new AssertionError("MQTT did not connect");
                Thread.sleep(200);
            }
            BlockingQueue<String> lines = broker.subscribe(null, null, "earshot/bench/main/handlers/#");
            Thread.sleep(5_000);
            List<String> rows = new ArrayList<>();
            List<Double> on = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                lines.clear();
                long t0 = System.nanoTime();
                long b0 = cpuTicks(broker.pid());
                double cpu = cpu(runtime.pid(), seconds);
                double wall = (System.nanoTime() - t0) / 1e9;
                double brokerCpu = (cpuTicks(broker.pid()) - b0) / 100.0 / wall * 100;
                double received = lines.size() / wall;
                on.add(cpu);
                rates.add(received);
                rows.add(String.format("| %d | %.0f | %.1f | %.1f | %.1f |", run, received, off.get(run - 1), cpu, brokerCpu));
            }
            JsonNode mqtt = JSON.readTree(runtime.awaitHttp("/api/status", 5)).path("mqtt");
            System.out.printf("%nMQTT %d handlers x %d updates/s, %d s windows:%n", MqttLoadPlugin.HANDLERS, MqttLoadPlugin.UPDATES_PER_SECOND, seconds);
            System.out.println("| run | messages/s received | runtime CPU %, MQTT off | runtime CPU %, MQTT on | mosquitto CPU % |");
            System.out.println("|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.printf("MQTT medians: %.0f messages/s; runtime %.1f%% off, %.1f%% on: MQTT costs %.1f%% of a core%n",
                    median(rates), median(off), median(on), median(on) - median(off));
            System.out.println("MQTT status: published " + mqtt.path("published") + ", dropped " + mqtt.path("dropped")
                    + ", coalesced " + mqtt.path("coalesced") + ", handler topics " + mqtt.path("handler_topics"));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
