package io.earshot.scripts.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.scripts.runtime.Scripts;

/** {@code earshot:run FILE.java [NAME]}, {@code earshot:stop NAME}, {@code earshot:scripts}. */
@Component(service = ScriptCommands.class)
@GogoCommand(scope = "earshot", function = {"run", "stop", "scripts"})
public final class ScriptCommands {

    private final Scripts scripts;

    @Activate
    public ScriptCommands(@Reference Scripts scripts) {
        this.scripts = scripts;
    }

    public String run(String file) throws IOException {
        String base = Path.of(file).getFileName().toString().replaceFirst("\\.java$", "");
        return run(file, base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase().replaceAll("[^a-z0-9-]", "-"));
    }

    public String run(String file, String name) throws IOException {
        Scripts.Result result = scripts.run(name, Files.readString(Path.of(file)));
        StringBuilder out = new StringBuilder(result.started()
                ? "Script " + name + " running (bundle " + result.bundleId() + ", " + result.millis() + " ms)\n"
                : "Not running: " + result.error() + "\n");
        for (Scripts.Diagnostic d : result.diagnostics()) {
            out.append(String.format("  %s:%d:%d: %s: %s%n", file, d.line(), d.column(), d.kind(), d.message()));
        }
        return out.toString();
    }

    public String stop(String name) {
        return scripts.stop(name) ? "Script " + name + " stopped" : "No script named " + name + "; " + scripts();
    }

    public String scripts() {
        String unavailable = scripts.unavailable();
        return (unavailable != null ? "Scripts cannot run: " + unavailable + "\n" : "")
                + "Running scripts: " + scripts.running().stream().map(r -> r.name() + " (bundle " + r.bundleId() + ")").toList();
    }
}
