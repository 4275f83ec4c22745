package io.earshot.devices.internal;

import java.util.Map;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.http.json.Refusal;

/**
 * {@code devices:list}, {@code devices:led ID MODE}, {@code devices:play ID [CLIP]},
 * {@code devices:stop ID}, {@code devices:next ID}. The shell is the runtime's own terminal, so
 * these need no token.
 */
@Component(service = DevicesCommands.class)
@GogoCommand(scope = "devices", function = {"list", "led", "play", "stop", "next"})
public final class DevicesCommands {

    private final DevicesServer server;

    @Activate
    public DevicesCommands(@Reference DevicesServer server) {
        this.server = server;
    }

    @SuppressWarnings("unchecked")
    public String list() {
        Map<String, Object> status = server.status();
        StringBuilder out = new StringBuilder("Devices on " + status.get("host") + ":" + status.get("port")
                + (Boolean.TRUE.equals(status.get("serving")) ? "" : " (not serving: " + (server.unavailable() == null ? status.get("error") : server.unavailable()) + ")") + "\n");
        if (server.registry() == null) return out.toString();
        for (Device d : server.registry().all()) {
            Map<String, Object> t = d.transport.describe();
            out.append(String.format("  %-20s %-8s leds %-3d %-9s %-8s %s queue %s%n", d.id, d.isOnline() ? "online" : "offline",
                    d.ledCount(), Leds.name(d.mode()), t.get("state"), t.get("clip") == null ? "-" : t.get("clip"), t.get("queue")));
        }
        if (server.registry().all().isEmpty()) out.append("  none yet\n");
        return out.toString();
    }

    public String led(String id, String mode) {
        return act(id, () -> server.registry().setMode(id, mode), "LEDs of " + id + ": " + mode);
    }

    public String play(String id) {
        return act(id, () -> server.registry().device(id).transport.play(), id + " plays");
    }

    /** Adds CLIP to the device's queue (it starts at once when nothing plays). */
    public String play(String id, String clip) {
        return act(id, () -> server.registry().device(id).transport.enqueue(clip, false), clip + " queued on " + id);
    }

    public String stop(String id) {
        return act(id, () -> server.registry().device(id).transport.stop(), id + " stopped");
    }

    public String next(String id) {
        return act(id, () -> server.registry().device(id).transport.next(), id + ": next clip");
    }

    private interface Action {
        void run() throws Refusal;
    }

    private String act(String id, Action action, String done) {
        String why = server.unavailable();
        if (why != null) return "Not done: " + why;
        try {
            action.run();
            return done;
        } catch (Refusal r) {
            return "Not done: " + r.getMessage();
        }
    }
}
