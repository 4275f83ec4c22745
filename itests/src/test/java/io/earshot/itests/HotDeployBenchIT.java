package io.earshot.itests;

import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.Test;

import io.earshot.itests.plugin.FirstBufferListener;

/**
 * The hot-deploy benchmark (issue 7), not a test: run by {@code benchmarks/run-hotdeploy.sh}
 * ({@code -Dearshot.bench=true}). Each run moves a new plugin jar into {@code plugins/} and
 * measures, on the wall clock, until the plugin prints that its first buffer arrived.
 */
public class HotDeployBenchIT {

    @Test
    public void jarCopiedToFirstBuffer() throws Exception {
        assumeTrue("a benchmark: run benchmarks/run-hotdeploy.sh", Boolean.getBoolean("earshot.bench"));
        int runs = Integer.getInteger("earshot.bench.runs", 10);
        try (RuntimeProcess runtime = RuntimeProcess.start("hotdeploy-bench-token-0123456789")) {
            Thread.sleep(5_000);
            Path plugins = runtime.home.resolve("plugins");
            Path log = runtime.home.resolve("earshot.log");
            List<Long> millis = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                String bsn = "io.earshot.bench.hot" + run;
                byte[] jar = PluginJars.build(bsn,
                        "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"hot" + run + "\">"
                                + "<implementation class=\"" + FirstBufferListener.class.getName() + "\"/>"
                                + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                                + "</scr:component>", FirstBufferListener.class);
                Path staging = Files.write(runtime.home.resolve("hot" + run + ".jar.part"), jar);
                long seen = Files.readAllLines(log).size();
                long start = System.currentTimeMillis();
                Files.move(staging, plugins.resolve("hot" + run + ".jar"), StandardCopyOption.ATOMIC_MOVE);
                Long firstBuffer = null;
                for (int i = 0; i < 1000 && firstBuffer == null; i++) {
                    Thread.sleep(5);
                    List<String> lines = Files.readAllLines(log);
                    for (String line : lines.subList((int) Math.min(seen, lines.size()), lines.size())) {
                        if (line.startsWith("EARSHOT-HOTDEPLOY ") && line.contains(bsn)) {
                            firstBuffer = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
                        }
                    }
                }
                if (firstBuffer == null) throw new AssertionError("no first buffer for " + bsn + " within 5 s");
                millis.add(firstBuffer - start);
                Files.delete(plugins.resolve("hot" + run + ".jar"));
                Thread.sleep(1_500);
            }
            List<Long> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            System.out.println("HOTDEPLOY jar moved into plugins/ to first buffer, ms, " + runs + " runs: " + millis);
            System.out.println("HOTDEPLOY median " + sorted.get(sorted.size() / 2) + " ms, min " + sorted.get(0)
                    + " ms, max " + sorted.get(sorted.size() - 1) + " ms");
        }
    }
}
