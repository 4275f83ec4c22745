package io.earshot.itests.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.earshot.api.Dashboard;
import io.earshot.api.Handler;

/** The MQTT benchmark's load: eight bar charts of eight values, each sent an update 20 times a second from a timer. */
public class MqttLoadPlugin {

    public static final int HANDLERS = 8;
    public static final int UPDATES_PER_SECOND = 20;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "earshot-listener-mqtt-load");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Handler> handlers = new ArrayList<>();
    private long tick;

    public MqttLoadPlugin(Dashboard dashboard) {
        for (int i = 1; i <= HANDLERS; i++) {
            handlers.add(dashboard.handler("load " + i, "base:graph:bar", Map.of("series", List.of(Map.of("name", "rms")), "min", 0, "max", 1)));
        }
        timer.scheduleAtFixedRate(this::update, 0, 1000 / UPDATES_PER_SECOND, TimeUnit.MILLISECONDS);
    }

    private void update() {
        double t = tick++ / (double) UPDATES_PER_SECOND;
        double[] xs = new double[8];
        double[] bars = new double[8];
        for (int h = 0; h < HANDLERS; h++) {
            for (int i = 0; i < 8; i++) {
                xs[i] = i;
                bars[i] = 0.5 + 0.4 * Math.sin(t + i + h);
            }
            handlers.get(h).send(Map.of("replace", List.of(Map.of("x", xs, "y", bars))));
        }
    }

    /** Called by DS when the plugin stops (deactivate="close" in the descriptor). */
    public void close() {
        timer.shutdownNow();
    }
}
