package io.earshot.plugins.internal;

import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code earshot:plugins}: the plugin bundles with their counters. */
@Component(service = PluginCommands.class)
@GogoCommand(scope = "earshot", function = {"plugins"})
public final class PluginCommands {

    private final PluginManager plugins;

    @Activate
    public PluginCommands(@Reference PluginManager plugins) {
        this.plugins = plugins;
    }

    public String plugins() {
        List<Map<String, Object>> list = plugins.describe();
        StringBuilder out = new StringBuilder("Plugins in " + plugins.folder() + ":\n");
        if (list.isEmpty()) {
            out.append("  (none: copy a plugin jar into that folder)\n");
        }
        out.append(String.format("  %4s  %-40s %-10s %10s %10s %8s  %s%n", "id", "bundle", "state", "delivered", "dropped", "failed", "handlers"));
        for (Map<String, Object> p : list) {
            out.append(String.format("  %4s  %-40s %-10s %10s %10s %8s  %s%n", p.get("id"),
                    p.get("name") + " " + p.get("version"), String.valueOf(p.get("state")).split(" ")[0],
                    p.get("buffers_delivered"), p.get("buffers_dropped"), p.get("callbacks_failed"), p.get("handlers")));
            if (p.get("problem") != null) {
                out.append("        ").append(p.get("problem")).append('\n');
            }
            for (Object thread : (List<?>) p.get("lingering_threads")) {
                out.append("        still running after its stop: ").append(thread).append('\n');
            }
        }
        for (Map<String, Object> removed : plugins.lingeringAfterRemoval()) {
            out.append("  removed ").append(removed.get("name")).append(" [").append(removed.get("id"))
                    .append("] left threads running (a restart ends them): ").append(removed.get("lingering_threads")).append('\n');
        }
        return out.toString();
    }
}
