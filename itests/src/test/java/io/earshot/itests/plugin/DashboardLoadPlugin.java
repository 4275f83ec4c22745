package io.earshot.itests.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.earshot.api.Dashboard;
import io.earshot.api.Handler;

/**
 * The dashboard benchmark's load: five live charts (line, area, bar, polar, heatmap), each sent
 * an update 20 times a second from a timer, whatever the stream does.
 */
public class DashboardLoadPlugin {

    public static final int UPDATES_PER_SECOND = 20;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "earshot-listener-dashboard-load");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Handler> handlers = new ArrayList<>();
    private long tick;

    public DashboardLoadPlugin(Dashboard dashboard) {
        handlers.add(dashboard.handler("load line", "base:graph:line",
                Map.of("series", List.of(Map.of("name", "a"), Map.of("name", "b")), "min", -1, "max", 1, "xLimitNb", 400)));
        handlers.add(dashboard.handler("load area", "base:graph:area",
                Map.of("series", List.of(Map.of("name", "level")), "min", 0, "max", 1, "xLimitNb", 400)));
        handlers.add(dashboard.handler("load bar", "base:graph:bar",
                Map.of("series", List.of(Map.of("name", "rms")), "min", 0, "max", 1)));
        handlers.add(dashboard.handler("load polar", "base:polar:line", Map.of("series", List.of("power"))));
        handlers.add(dashboard.handler("load heatmap", "base:heatmap", Map.of("min", -1, "max", 1)));
        timer.scheduleAtFixedRate(this::update, 0, 1000 / UPDATES_PER_SECOND, TimeUnit.MILLISECONDS);
    }

    private void update() {
        double t = tick++ / (double) UPDATES_PER_SECOND;
        handlers.get(0).send(Map.of("add", List.of(Map.of("x", List.of(t), "y", List.of(Math.sin(t))),
                Map.of("x", List.of(t), "y", List.of(Math.cos(t))))));
        handlers.get(1).send(Map.of("add", List.of(Map.of("x", List.of(t), "y", List.of(0.5 + 0.4 * Math.sin(3 * t))))));
        double[] bars = new double[8];
        double[] xs = new double[8];
        for (int i = 0; i < 8; i++) {
            xs[i] = i;
            bars[i] = 0.5 + 0.4 * Math.sin(t + i);
        }
        handlers.get(2).send(Map.of("replace", List.of(Map.of("x", xs, "y", bars))));
        double[] around = new double[72];
        for (int i = 0; i < 72; i++) around[i] = 1 + Math.cos(Math.toRadians(i * 5) - t);
        handlers.get(3).send(List.of(Map.of("replace", around)));
        double[][] cells = new double[16][32];
        for (int r = 0; r < 16; r++) for (int c = 0; c < 32; c++) cells[r][c] = Math.sin(t + r * 0.4 + c * 0.2);
        handlers.get(4).send(cells);
    }

    /** Called by DS when the plugin stops (deactivate="close" in the descriptor). */
    public void close() {
        timer.shutdownNow();
    }
}
