package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import io.earshot.itests.plugin.DashboardLoadPlugin;

/**
 * The dashboard benchmark (issue 6), not a test: run by {@code benchmarks/run-dashboard.sh}
 * ({@code -Dearshot.bench=true}); skipped in the normal build. A plugin drives five charts at 20
 * updates a second each; (1) ten browser sessions on /ws/ui count what they get while the
 * runtime's CPU is read from /proc; (2) a headless Chromium shows the five charts at once and
 * its own animation-frame times are read. Prints the figures; asserts nothing about speed.
 */
public class DashboardBenchIT {

    private static final String TOKEN = "dashboard-bench-token-0123456789";

    private static long cpuTicks(long pid) throws Exception {
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst(".*\\) ", "").split(" ");
        return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    /** A browser session on /ws/ui that only counts data messages. */
    private static final class Counter implements WebSocket.Listener {
        final AtomicLong data = new AtomicLong();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence part, boolean last) {
            text.append(part);
            if (last) {
                if (text.indexOf("{\"data\":") == 0) data.incrementAndGet();
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    @Test
    public void dashboardLoad() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-dashboard.sh", Boolean.getBoolean("earshot.bench"));
        int sessions = Integer.getInteger("earshot.bench.sessions", 10);
        int seconds = Integer.getInteger("earshot.bench.seconds", 20);
        int runs = Integer.getInteger("earshot.bench.runs", 3);
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN)) {
            long clockTicks = 100; // USER_HZ on Linux
            Thread.sleep(5_000);
            long idle0 = cpuTicks(runtime.pid());
            long i0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double baseline = (cpuTicks(runtime.pid()) - idle0) / (double) clockTicks / ((System.nanoTime() - i0) / 1e9) * 100;
            Files.write(runtime.home.resolve("plugins/dashboard-load.jar"), PluginJars.build("io.earshot.bench.dashboardload",
                    "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"dashboard-load\""
                            + " init=\"1\" immediate=\"true\" deactivate=\"close\">"
                            + "<implementation class=\"" + DashboardLoadPlugin.class.getName() + "\"/>"
                            + "<reference name=\"dashboard\" interface=\"io.earshot.api.Dashboard\" parameter=\"0\"/>"
                            + "</scr:component>", DashboardLoadPlugin.class));
            HttpClient http = HttpClient.newHttpClient();
            List<Counter> counters = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                Counter counter = new Counter();
                counters.add(counter);
                sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/ws/ui?token=" + TOKEN), counter)
                        .get(10, TimeUnit.SECONDS));
            }
            Thread.sleep(5_000); // plugin installed, JIT warm
            List<String> rows = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                long[] before = counters.stream().mapToLong(c -> c.data.get()).toArray();
                long cpu0 = cpuTicks(runtime.pid());
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (cpuTicks(runtime.pid()) - cpu0) / (double) clockTicks / wall * 100;
                long[] got = new long[sessions];
                for (int i = 0; i < sessions; i++) got[i] = counters.get(i).data.get() - before[i];
                Arrays.sort(got);
                rows.add(String.format("| %d | %d | %.0f | %.0f | %.0f | %.1f | %.1f |", run, sessions,
                        5.0 * DashboardLoadPlugin.UPDATES_PER_SECOND, got[0] / wall, got[sessions / 2] / wall, cpu,
                        rssKb(runtime.pid()) / 1024.0));
            }
            String status = runtime.awaitHttp("/api/status", 5);
            for (WebSocket socket : sockets) socket.abort();

            ChromeDriver browser = RuntimeProcess.browser();
            List<String> frames = new ArrayList<>();
            try {
                browser.get(runtime.url("/?token=" + TOKEN));
                new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15)).until(
                        d -> d.findElements(By.xpath("//nav//button[starts-with(text(),'load ')]")).size() == 5);
                browser.findElement(By.cssSelector("nav button[data-view=all]")).click();
                for (int run = 1; run <= runs; run++) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> timing = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
                            "const done = arguments[arguments.length - 1], seconds = arguments[0];"
                                    + "const times = []; let longTasks = 0;"
                                    + "const observer = new PerformanceObserver(list => longTasks += list.getEntries().length);"
                                    + "try { observer.observe({ type: 'longtask', buffered: false }); } catch (e) {}"
                                    + "const start = performance.now();"
                                    + "function frame(t) { times.push(t); if (t - start < seconds * 1000) requestAnimationFrame(frame);"
                                    + "  else { observer.disconnect(); const d = times.slice(1).map((v, i) => v - times[i]).sort((a, b) => a - b);"
                                    + "    done({ frames: d.length, fps: d.length / ((times[times.length - 1] - times[0]) / 1000),"
                                    + "      median: d[Math.floor(d.length / 2)], p95: d[Math.floor(d.length * 0.95)], max: d[d.length - 1], longTasks }); } }"
                                    + "requestAnimationFrame(frame);", 10);
                    frames.add(String.format("| %d | %s | %.1f | %.1f / %.1f / %.1f | %s |", run, timing.get("frames"),
                            ((Number) timing.get("fps")).doubleValue(), ((Number) timing.get("median")).doubleValue(),
                            ((Number) timing.get("p95")).doubleValue(), ((Number) timing.get("max")).doubleValue(), timing.get("longTasks")));
                }
            } finally {
                browser.quit();
            }
            System.out.printf("%nDASHBOARD baseline: the runtime streaming, no plugin, no browser: %.1f%% of a core over %d s%n",
                    baseline, seconds);
            System.out.println("\nDASHBOARD runtime side (" + seconds + " s windows):");
            System.out.println("| run | sessions | messages/s sent per session | received/s min | received/s median | runtime CPU % | RSS MB |");
            System.out.println("|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println("\nDASHBOARD browser side (5 charts at 20 updates/s, 10 s windows, headless Chromium):");
            System.out.println("| run | frames | fps | frame interval median / p95 / max ms | long tasks |");
            System.out.println("|---|---|---|---|---|");
            frames.forEach(System.out::println);
            System.out.println("\nDASHBOARD status: " + status.replaceAll(".*\"dashboard\":(\\{.*?\"browsers\":\\[[^\\]]*\\]).*", "$1"));
        }
    }
}
