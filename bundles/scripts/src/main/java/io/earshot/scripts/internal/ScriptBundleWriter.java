package io.earshot.scripts.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Version;

import io.earshot.scripts.runtime.ScriptActivator;

/**
 * A compiled script as a bundle: its classes with a stop checkpoint in each loop
 * ({@link ScriptBytecode}), the packages they use imported at the versions they were compiled
 * against, and {@link ScriptActivator} as the activator, told the class, name and run id.
 */
final class ScriptBundleWriter {

    private ScriptBundleWriter() {
    }

    static byte[] jar(String name, int runId, ScriptCompiler.Compiled compiled) throws IOException {
        ScriptBytecode bytecode = new ScriptBytecode();
        Map<String, byte[]> instrumented = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> clazz : compiled.classes().entrySet()) {
            instrumented.put(clazz.getKey(), bytecode.instrument(clazz.getValue(), runId));
        }
        // the activator's package, whether or not the code has a loop that calls it
        bytecode.packages.add(ScriptActivator.class.getPackageName());
        String className = compiled.className();
        List<String> imports = new ArrayList<>();
        String ownPackage = className.contains(".") ? className.substring(0, className.lastIndexOf('.')) : "";
        for (String pkg : bytecode.packages) {
            if (pkg.startsWith("java.") || pkg.equals(ownPackage) || ScriptCompiler.COMPILE_ONLY.contains(pkg)) continue;
            Version version = compiled.exported().get(pkg);
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
}
