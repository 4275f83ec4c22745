package io.earshot.itests.plugin;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.earshot.api.results.EventPublisher;

/** Publishes an event five times a second, and once what a bad topic is refused with. */
public class EventPlugin {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private long count;

    public EventPlugin(EventPublisher events) {
        try {
            events.publish("bad/+", Map.of());
        } catch (IllegalArgumentException e) {
            events.publish("refusal", Map.of("error", e.getMessage()));
        }
        timer.scheduleAtFixedRate(() -> events.publish("alarm/loud", Map.of("count", count++)), 0, 200, TimeUnit.MILLISECONDS);
    }

    /** Called by DS when the plugin stops (deactivate="close" in the descriptor). */
    public void close() {
        timer.shutdownNow();
    }
}
