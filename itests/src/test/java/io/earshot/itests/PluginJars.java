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
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", version);
        main.putValue("Import-Package", "io.earshot.api;version=\"[1.1,2)\"");
        main.putValue("Service-Component", "OSGI-INF/component.xml");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/component.xml"));
            jar.write(component.getBytes(StandardCharsets.UTF_8));
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
}
