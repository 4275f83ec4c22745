package io.earshot.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Plugin jars as a user would ship them: classes, one DS descriptor, a bundle manifest. */
final class PluginJars {

    private PluginJars() {
    }

    /**
     * @param bsn       the bundle's symbolic name
     * @param component the DS component XML (OSGI-INF/component.xml)
     * @param classes   the plugin's classes, taken from the test class path
     */
    static byte[] build(String bsn, String component, Class<?>... classes) throws IOException {
        return build(bsn, "1.0.0", component, classes);
    }

    static byte[] build(String bsn, String version, String component, Class<?>... classes) throws IOException {
        Manifest manifest = manifest(bsn, version);
        manifest.getMainAttributes().putValue("Import-Package", "io.earshot.api;version=\"[1.1,2)\"");
        manifest.getMainAttributes().putValue("Service-Component", "OSGI-INF/component.xml");
        return jar(manifest, component, classes);
    }

    /** As {@link #build(String, String, Class[])}, importing {@code imports} (an Import-Package value) instead. */
    static byte[] buildImporting(String bsn, String imports, String component, Class<?>... classes) throws IOException {
        Manifest manifest = manifest(bsn, "1.0.0");
        manifest.getMainAttributes().putValue("Import-Package", imports);
        manifest.getMainAttributes().putValue("Service-Component", "OSGI-INF/component.xml");
        return jar(manifest, component, classes);
    }

    private static Manifest manifest(String bsn, String version) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", version);
        return manifest;
    }

    private static byte[] jar(Manifest manifest, String component, Class<?>... classes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            if (component != null) {
                jar.putNextEntry(new JarEntry("OSGI-INF/component.xml"));
                jar.write(component.getBytes(StandardCharsets.UTF_8));
            }
            for (Class<?> type : classes) {
                String classFile = type.getName().replace('.', '/') + ".class";
                try (InputStream clazz = type.getClassLoader().getResourceAsStream(classFile)) {
                    jar.putNextEntry(new JarEntry(classFile));
                    clazz.transferTo(jar);
                }
            }
        }
        return bytes.toByteArray();
    }

    /** A plugin bundle started by a plain activator (no DS), importing the OSGi framework API. */
    static byte[] withActivator(String bsn, Class<?> activator) throws IOException {
        Manifest manifest = manifest(bsn, "1.0.0");
        manifest.getMainAttributes().putValue("Bundle-Activator", activator.getName());
        manifest.getMainAttributes().putValue("Import-Package", "org.osgi.framework;version=\"[1.8,2)\"");
        return jar(manifest, null, activator);
    }

    /** A DS component providing {@code AudioListener}, named for the stream's status. */
    static String listenerComponent(String name, Class<?> implementation) {
        return "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\" immediate=\"true\">"
                + "<implementation class=\"" + implementation.getName() + "\"/>"
                + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                + "<property name=\"earshot.listener.name\" value=\"" + name + "\"/>"
                + "</scr:component>";
    }
}
