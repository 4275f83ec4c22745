package io.earshot.scripts.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.StatusContributor;
import io.earshot.scripts.runtime.ScriptActivator;
import io.earshot.scripts.runtime.Scripts;

/**
 * Runs scripts: checks the request, has it compiled ({@link ScriptCompiler}) and made a bundle
 * ({@link ScriptBundleWriter}), and installs that under the location {@code earshot-script:NAME}:
 * running a name again updates that bundle, stopping uninstalls it. Each run gets an id its loops
 * check, so code of a stopped run that still runs on some thread stops at its next loop turn.
 */
@Component(service = {Scripts.class, ScriptExecutor.class, StatusContributor.class}, configurationPid = "io.earshot.scripts")
@Designate(ocd = ScriptsConfig.class)
public final class ScriptExecutor implements Scripts, StatusContributor {

    static final int MAX_SOURCE_CHARS = 256 * 1024;
    static final int MAX_SCRIPTS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(ScriptExecutor.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /** The location of every script bundle: {@code earshot-script:NAME}. */
    static final String LOCATION = "earshot-script:";

    private final BundleContext context;
    private final ScriptCompiler compiler;
    private final Map<String, Bundle> scripts = new LinkedHashMap<>();
    private final Map<String, Integer> runIds = new HashMap<>();
    private int nextRunId;
    private volatile boolean enabled;

    @Activate
    public ScriptExecutor(BundleContext context, ScriptsConfig config) {
        this.context = context;
        this.compiler = new ScriptCompiler(context.getBundle());
        this.enabled = config.enabled();
    }

    @Modified
    void modified(ScriptsConfig config) {
        enabled = config.enabled();
        if (!enabled) {
            for (Running script : running()) stop(script.name());
        }
    }

    boolean enabled() {
        return enabled;
    }

    @Override
    public String unavailable() {
        if (!enabled) {
            return "the script executor is switched off (enabled=false in conf/io.earshot.scripts.cfg)";
        }
        if (!ScriptCompiler.present()) {
            return "this runtime runs on a Java without a compiler (a JRE): start Earshot with a JDK to run scripts";
        }
        return null;
    }

    @Override
    public synchronized Result run(String name, String source) {
        long start = System.nanoTime();
        String unavailable = unavailable();
        if (unavailable != null) {
            return refused(unavailable);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            return refused("a script's name is 1..40 of a-z, 0-9 and '-', starting with a letter or digit; got '" + name + "'");
        }
        if (source == null || source.isBlank() || source.length() > MAX_SOURCE_CHARS) {
            return refused("a script is a Java source of 1.." + MAX_SOURCE_CHARS + " characters");
        }
        if (!scripts.containsKey(name) && scripts.size() >= MAX_SCRIPTS) {
            return refused(MAX_SCRIPTS + " scripts are running, the most at once; stop one first");
        }
        ScriptCompiler.Compiled compiled;
        try {
            compiled = compiler.compile(source);
        } catch (ScriptCompiler.Refusal e) {
            return new Result(false, -1, e.getMessage(), e.diagnostics, millisSince(start));
        }
        int runId = nextRunId++ % ScriptActivator.MAX_RUN_IDS;
        ScriptActivator.markStopped(runId, false);
        try {
            byte[] jar = ScriptBundleWriter.jar(name, runId, compiled);
            Bundle bundle = scripts.get(name);
            if (bundle != null && bundle.getState() != Bundle.UNINSTALLED) {
                Integer previous = runIds.get(name);
                if (previous != null) ScriptActivator.markStopped(previous, true);
                bundle.update(new ByteArrayInputStream(jar));
            } else {
                bundle = context.installBundle(LOCATION + name, new ByteArrayInputStream(jar));
                scripts.put(name, bundle);
            }
            runIds.put(name, runId);
            bundle.start();
            return new Result(true, bundle.getBundleId(), null, compiled.diagnostics(), millisSince(start));
        } catch (BundleException | IOException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            stop(name);
            return new Result(false, -1, "the script compiled but did not start: " + cause.getMessage(), compiled.diagnostics(),
                    millisSince(start));
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static Result refused(String error) {
        return new Result(false, -1, error, List.of(), 0);
    }

    /** Uninstalls the script; code of it still running on any thread throws at its next loop turn. */
    @Override
    public synchronized boolean stop(String name) {
        Bundle bundle = scripts.remove(name);
        Integer runId = runIds.remove(name);
        if (bundle == null) {
            return false;
        }
        if (runId != null) ScriptActivator.markStopped(runId, true);
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Script {} did not stop cleanly: {}", name, e.getMessage());
        }
        return true;
    }

    @Override
    public synchronized List<Running> running() {
        List<Running> running = new ArrayList<>();
        scripts.forEach((name, bundle) -> running.add(new Running(name, bundle.getBundleId())));
        return running;
    }

    @Override
    public String statusKey() {
        return "scripts";
    }

    /** The switch, the compiler, why scripts cannot run (if so) and the running scripts. */
    @Override
    public Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("enabled", enabled);
        status.put("compiler", ScriptCompiler.present());
        status.put("unavailable", unavailable());
        status.put("running", running().stream().map(r -> Map.of("name", r.name(), "bundle", r.bundleId())).toList());
        return status;
    }

    @Deactivate
    void deactivate() {
        for (Running script : running()) stop(script.name());
    }
}
