package io.earshot.scripts.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.earshot.api.AudioListener;
import io.earshot.scripts.runtime.ScriptActivator;
import io.earshot.scripts.runtime.Scripts;

/**
 * Compiles a script (one public class, in any package) against the plugin API, makes it a bundle
 * whose activator is {@link ScriptActivator}, and installs it under the location
 * {@code earshot-script:NAME}: running a name again updates that bundle, stopping uninstalls it.
 */
@Component(service = Scripts.class)
public final class ScriptExecutor implements Scripts {

    static final int MAX_SOURCE_CHARS = 256 * 1024;
    static final int MAX_SCRIPTS = 16;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)");
    private static final String LOCATION = "earshot-script:";

    private final BundleContext context;
    private final Map<String, Bundle> scripts = new ConcurrentHashMap<>();

    @Activate
    public ScriptExecutor(BundleContext context) {
        this.context = context;
    }

    @Override
    public synchronized Result run(String name, String source) {
        if (name == null || !NAME.matcher(name).matches()) {
            return refused("a script's name is 1..40 of a-z, 0-9 and '-', starting with a letter or digit; got '" + name + "'");
        }
        if (source == null || source.isBlank() || source.length() > MAX_SOURCE_CHARS) {
            return refused("a script is a Java source of 1.." + MAX_SOURCE_CHARS + " characters");
        }
        if (!scripts.containsKey(name) && scripts.size() >= MAX_SCRIPTS) {
            return refused(MAX_SCRIPTS + " scripts are running, the most at once; stop one first");
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            return refused("this runtime runs on a Java without a compiler (a JRE): start Earshot with a JDK to run scripts");
        }
        Matcher type = PUBLIC_CLASS.matcher(source);
        if (!type.find()) {
            return refused("a script needs one public class (public class MyPlugin implements AudioListener { ... })");
        }
        Matcher pkg = PACKAGE.matcher(source);
        String className = (pkg.find() ? pkg.group(1) + "." : "") + type.group(1);

        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean compiled;
        BundleClassFiles files = new BundleClassFiles(compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8),
                visiblePackages());
        try (files) {
            compiled = compiler.getTask(null, files, diagnostics, List.of("-proc:none", "--release", "17", "-g"), null,
                    List.of(unit)).call();
        } catch (IOException e) {
            return refused("the compiler's files could not be closed: " + e.getMessage());
        }
        List<Diagnostic> found = new ArrayList<>();
        for (javax.tools.Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            found.add(new Diagnostic(d.getKind().name().toLowerCase(Locale.ROOT), Math.max(0, d.getLineNumber()),
                    Math.max(0, d.getColumnNumber()), d.getMessage(Locale.ROOT)));
        }
        if (!compiled) {
            return new Result(false, -1, "the script did not compile", found);
        }
        try {
            byte[] jar = bundle(name, className, files);
            Bundle bundle = scripts.get(name);
            if (bundle != null && bundle.getState() != Bundle.UNINSTALLED) {
                bundle.update(new ByteArrayInputStream(jar));
            } else {
                bundle = context.installBundle(LOCATION + name, new ByteArrayInputStream(jar));
                scripts.put(name, bundle);
            }
            bundle.start();
            return new Result(true, bundle.getBundleId(), null, found);
        } catch (BundleException | IOException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            stop(name);
            return new Result(false, -1, "the script compiled but did not start: " + cause, found);
        }
    }

    /** The packages a script may import besides the JDK's: the plugin API and this bundle's runtime. */
    private Map<String, Bundle> visiblePackages() {
        Map<String, Bundle> packages = new HashMap<>();
        packages.put(AudioListener.class.getPackageName(), FrameworkUtil.getBundle(AudioListener.class));
        return packages;
    }

    private static byte[] bundle(String name, String className, BundleClassFiles files) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.earshot.script." + name);
        main.putValue("Bundle-Version", "0.0.0." + System.currentTimeMillis());
        main.putValue("Bundle-Activator", ScriptActivator.class.getName());
        main.putValue("Import-Package", "io.earshot.api;version=\"[1.1,2)\",io.earshot.scripts.runtime;version=\"[0.1,1)\"");
        main.putValue(ScriptActivator.CLASS_HEADER, className);
        main.putValue(ScriptActivator.NAME_HEADER, name);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, ByteArrayOutputStream> clazz : files.output.entrySet()) {
                jar.putNextEntry(new JarEntry(clazz.getKey().replace('.', '/') + ".class"));
                jar.write(clazz.getValue().toByteArray());
            }
        }
        return bytes.toByteArray();
    }

    private static Result refused(String error) {
        return new Result(false, -1, error, List.of());
    }

    @Override
    public synchronized boolean stop(String name) {
        Bundle bundle = scripts.remove(name);
        if (bundle == null) {
            return false;
        }
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // already gone
        }
        return true;
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(scripts.keySet());
    }

    @Deactivate
    void deactivate() {
        for (String name : names()) stop(name);
    }
}
