package io.earshot.scripts.internal;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

import io.earshot.api.AudioListener;
import io.earshot.scripts.runtime.Scripts.Diagnostic;

/**
 * javac over a script's source (one public class, in any package), against the JDK and what
 * scripts may use: the packages the API bundle and this bundle export, and the compile-only
 * annotations this bundle carries. Code that would end the runtime is refused here, with its line.
 */
final class ScriptCompiler {

    /** Read by the compiler, never needed at run time (class retention). */
    static final List<String> COMPILE_ONLY = List.of("org.osgi.service.component.annotations",
            "org.osgi.service.metatype.annotations");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+(?:final\\s+|abstract\\s+)*class\\s+(\\w+)");
    private static final List<String> OPTIONS = List.of("-proc:none", "--release", "17", "-g", "-Xlint:all,-serial");

    private final Bundle own;

    /** A script that compiled: its classes by binary name, and the version of each package it may import. */
    record Compiled(String className, Map<String, byte[]> classes, Map<String, Version> exported, List<Diagnostic> diagnostics) {
    }

    /** A source that does not make a script: why, and what the compiler said, if it ran. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient List<Diagnostic> diagnostics;

        Refusal(String reason, List<Diagnostic> diagnostics) {
            super(reason);
            this.diagnostics = diagnostics;
        }
    }

    ScriptCompiler(Bundle own) {
        this.own = own;
    }

    static boolean present() {
        return ToolProvider.getSystemJavaCompiler() != null;
    }

    Compiled compile(String source) throws Refusal {
        Matcher type = PUBLIC_CLASS.matcher(source);
        if (!type.find()) {
            throw new Refusal("a script needs one public class (public class MyPlugin implements AudioListener { ... })", List.of());
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
            compiled = compiler.getTask(null, files, diagnostics, OPTIONS, null, List.of(unit)).call();
        } catch (IOException | RuntimeException e) {
            throw new Refusal("the compiler failed: " + e, List.of());
        }
        List<Diagnostic> found = new ArrayList<>();
        for (javax.tools.Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            found.add(new Diagnostic(d.getKind().name().toLowerCase(Locale.ROOT), Math.max(0, d.getLineNumber()),
                    Math.max(0, d.getColumnNumber()), d.getMessage(Locale.ROOT)));
        }
        if (!compiled) {
            throw new Refusal("the script did not compile", found);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        files.output.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        refuseExitCalls(classes, found);
        return new Compiled(className, classes, exported, found);
    }

    private static void refuseExitCalls(Map<String, byte[]> classes, List<Diagnostic> found) throws Refusal {
        List<Diagnostic> exits = new ArrayList<>();
        for (byte[] clazz : classes.values()) {
            for (ScriptBytecode.ExitCall call : ScriptBytecode.exitCalls(clazz)) {
                exits.add(new Diagnostic("error", call.line(), 0, call.call() + " would end the whole Earshot runtime, and a script"
                        + " may not: return from the callback instead, or throw to report a failure"));
            }
        }
        if (!exits.isEmpty()) {
            List<Diagnostic> all = new ArrayList<>(found);
            all.addAll(exits);
            throw new Refusal("the script calls " + exits.get(0).message().split(" ", 2)[0]
                    + " (line " + exits.get(0).line() + "): refused, nothing was installed", all);
        }
    }

    /**
     * The packages a script may use besides the JDK's, to the bundle whose classes the compiler
     * reads. {@code exported} receives the version of each package a script may import.
     */
    private Map<String, Bundle> visiblePackages(Map<String, Version> exported) {
        Map<String, Bundle> packages = new HashMap<>();
        for (Bundle bundle : List.of(FrameworkUtil.getBundle(AudioListener.class), own)) {
            for (BundleCapability capability : bundle.adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                String name = (String) capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
                packages.put(name, bundle);
                exported.put(name, (Version) capability.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE));
            }
        }
        for (String name : COMPILE_ONLY) packages.put(name, own);
        return packages;
    }
}
