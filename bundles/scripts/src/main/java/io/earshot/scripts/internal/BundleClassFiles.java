package io.earshot.scripts.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * What the compiler sees: the JDK as usual, the packages scripts may use read from the bundles
 * that export them (there are no jar files on a class path in OSGi), and the class files it
 * writes kept in memory.
 */
final class BundleClassFiles extends ForwardingJavaFileManager<StandardJavaFileManager> {

    /** Package name to the bundle that provides it. */
    private final Map<String, Bundle> packages;
    final Map<String, ByteArrayOutputStream> output = new LinkedHashMap<>();

    BundleClassFiles(StandardJavaFileManager standard, Map<String, Bundle> packages) {
        super(standard);
        this.packages = packages;
    }

    private static final class BundleClass extends SimpleJavaFileObject {
        final String binaryName;
        private final URL url;

        BundleClass(String binaryName, URL url) {
            super(URI.create("bundle:///" + binaryName.replace('.', '/') + ".class"), Kind.CLASS);
            this.binaryName = binaryName;
            this.url = url;
        }

        @Override
        public InputStream openInputStream() throws IOException {
            return url.openStream();
        }
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds, boolean recurse)
            throws IOException {
        Bundle bundle = packages.get(packageName);
        if (location == StandardLocation.CLASS_PATH && bundle != null && kinds.contains(JavaFileObject.Kind.CLASS)) {
            List<JavaFileObject> classes = new ArrayList<>();
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            Collection<String> resources = wiring.listResources("/" + packageName.replace('.', '/'), "*.class", 0);
            for (String resource : resources) {
                URL url = bundle.getResource(resource);
                if (url != null) {
                    String binaryName = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
                    classes.add(new BundleClass(binaryName, url));
                }
            }
            return classes;
        }
        return super.list(location, packageName, kinds, recurse);
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        return file instanceof BundleClass bundleClass ? bundleClass.binaryName : super.inferBinaryName(location, file);
    }

    @Override
    public boolean hasLocation(Location location) {
        return location == StandardLocation.CLASS_PATH || super.hasLocation(location);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("memory:///" + className.replace('.', '/') + kind.extension), kind) {
            @Override
            public OutputStream openOutputStream() {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                output.put(className, bytes);
                return bytes;
            }
        };
    }
}
