package io.earshot.scripts.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioListener;
import io.earshot.api.StatusContributor;
import io.earshot.scripts.runtime.ScriptActivator;
import io.earshot.scripts.runtime.Scripts;

/**
 * Compiles a script (one source with one public class, in any package) against what scripts may
 * use, puts a stop checkpoint into each of its loops, makes it a bundle whose activator is
 * {@link ScriptActivator}, and installs it under the location {@code earshot-script:NAME}: running
 * a name again updates that bundle, stopping uninstalls it.
 */
@Component(service = {Scripts.class, ScriptExecutor.class, StatusContributor.class}, configurationPid = "io.earshot.scripts")
@Designate(ocd = ScriptsConfig.class)
public final class ScriptExecutor implements Scripts, StatusContributor {

    static final int MAX_SOURCE_CHARS = 256 * 1024;
    static final int MAX_SCRIPTS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(ScriptExecutor.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+(?:final\\s+|abstract\\s+)*class\\s+(\\w+)");
    private static final String LOCATION = "earshot-script:";
    /** Read by the compiler, never needed at run time (class retention). */
    private static final List<String> COMPILE_ONLY = List.of("org.osgi.service.component.annotations",
            "org.osgi.service.metatype.annotations");

    private final BundleContext context;
    private final Map<String, Bundle> scripts = new LinkedHashMap<>();
    private final Map<String, Integer> runIds = new HashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private int nextRunId;
    private volatile boolean enabled;

    @Activate
    public ScriptExecutor(BundleContext context, ScriptsConfig config) {
        this.context = context;
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

    static boolean compilerPresent() {
        return ToolProvider.getSystemJavaCompiler() != null;
    }

    @Override
    public String unavailable() {
        if (!enabled) {
            return "the script executor is switched off (enabled=false in conf/io.earshot.scripts.cfg)";
        }
        if (!compilerPresent()) {
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
        Matcher type = PUBLIC_CLASS.matcher(source);
        if (!type.find()) {
            return refused("a script needs one public class (public class MyPlugin implements AudioListener { ... })");
        }
        Matcher pkg = PACKAGE.matcher(source);
        String className = (pkg.find() ? pkg.group(1) + "." : "") + type.group(1);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean compiled;
        Map<String, Version> exported = new HashMap<>();
        BundleClassFiles files = new BundleClassFiles(compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8),
                visiblePackages(exported));
        try (files) {
            compiled = compiler.getTask(null, files, diagnostics, List.of("-proc:none", "--release", "17", "-g", "-Xlint:all,-serial"),
                    null, List.of(unit)).call();
        } catch (IOException | RuntimeException e) {
            return refused("the compiler failed: " + e);
        }
        List<Diagnostic> found = new ArrayList<>();
        for (javax.tools.Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            found.add(new Diagnostic(d.getKind().name().toLowerCase(Locale.ROOT), Math.max(0, d.getLineNumber()),
                    Math.max(0, d.getColumnNumber()), d.getMessage(Locale.ROOT)));
        }
        if (!compiled) {
            return new Result(false, -1, "the script did not compile", found, millisSince(start));
        }
        List<Diagnostic> exits = new ArrayList<>();
        for (ByteArrayOutputStream clazz : files.output.values()) {
            for (ScriptBytecode.ExitCall call : ScriptBytecode.exitCalls(clazz.toByteArray())) {
                exits.add(new Diagnostic("error", call.line(), 0, call.call() + " would end the whole Earshot runtime, and a script"
                        + " may not: return from the callback instead, or throw to report a failure"));
            }
        }
        if (!exits.isEmpty()) {
            found.addAll(exits);
            return new Result(false, -1, "the script calls " + exits.get(0).message().split(" ", 2)[0]
                    + " (line " + exits.get(0).line() + "): refused, nothing was installed", found, millisSince(start));
        }
        int runId = nextRunId++ % ScriptActivator.MAX_RUN_IDS;
        ScriptActivator.markStopped(runId, false);
        try {
            byte[] jar = bundle(name, className, runId, files.output, exported);
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
            changed();
            return new Result(true, bundle.getBundleId(), null, found, millisSince(start));
        } catch (BundleException | IOException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            stop(name);
            return new Result(false, -1, "the script compiled but did not start: " + cause.getMessage(), found, millisSince(start));
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * The packages a script may use besides the JDK's, to the bundle whose classes the compiler
     * reads: what the API bundle and this bundle export, and the compile-only annotations this
     * bundle carries. {@code exported} receives the version of each package a script may import.
     */
    private Map<String, Bundle> visiblePackages(Map<String, Version> exported) {
        Map<String, Bundle> packages = new HashMap<>();
        for (Bundle bundle : List.of(FrameworkUtil.getBundle(AudioListener.class), context.getBundle())) {
            for (BundleCapability capability : bundle.adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                String name = (String) capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
                packages.put(name, bundle);
                exported.put(name, (Version) capability.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE));
            }
        }
        for (String name : COMPILE_ONLY) packages.put(name, context.getBundle());
        return packages;
    }

    private static byte[] bundle(String name, String className, int runId, Map<String, ByteArrayOutputStream> classes,
            Map<String, Version> exported) throws IOException {
        ScriptBytecode bytecode = new ScriptBytecode();
        Map<String, byte[]> instrumented = new LinkedHashMap<>();
        for (Map.Entry<String, ByteArrayOutputStream> clazz : classes.entrySet()) {
            instrumented.put(clazz.getKey(), bytecode.instrument(clazz.getValue().toByteArray(), runId));
        }
        // the activator's package, whether or not the code has a loop that calls it
        bytecode.packages.add(ScriptActivator.class.getPackageName());
        List<String> imports = new ArrayList<>();
        String ownPackage = className.contains(".") ? className.substring(0, className.lastIndexOf('.')) : "";
        for (String pkg : bytecode.packages) {
            if (pkg.startsWith("java.") || pkg.equals(ownPackage) || COMPILE_ONLY.contains(pkg)) continue;
            Version version = exported.get(pkg);
            // the JDK's other packages (javax.*, ...) come from the system bundle, unversioned
            imports.add(version == null ? pkg
                    : pkg + ";version=\"[" + version.getMajor() + "." + version.getMinor() + "," + (version.getMajor() + 1) + ")\"");
        }
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.earshot.script." + name);
        main.putValue("Bundle-Version", "0.0.0." + System.currentTimeMillis());
        main.putValue("Bundle-Activator", ScriptActivator.class.getName());
        main.putValue("Import-Package", String.join(",", imports));
        main.putValue(ScriptActivator.CLASS_HEADER, className);
        main.putValue(ScriptActivator.NAME_HEADER, name);
        main.putValue(ScriptActivator.ID_HEADER, Integer.toString(runId));
        if (bytecode.deactivateMethod != null) main.putValue(ScriptActivator.DEACTIVATE_HEADER, bytecode.deactivateMethod);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> clazz : instrumented.entrySet()) {
                jar.putNextEntry(new JarEntry(clazz.getKey().replace('.', '/') + ".class"));
                jar.write(clazz.getValue());
            }
        }
        return bytes.toByteArray();
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
        changed();
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
        status.put("compiler", compilerPresent());
        status.put("unavailable", unavailable());
        status.put("running", running().stream().map(r -> Map.of("name", r.name(), "bundle", r.bundleId())).toList());
        return status;
    }

    void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    void removeOnChange(Runnable listener) {
        changeListeners.remove(listener);
    }

    private void changed() {
        for (Runnable listener : changeListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A script change listener failed", e);
            }
        }
    }

    @Deactivate
    void deactivate() {
        for (Running script : running()) stop(script.name());
    }
}
