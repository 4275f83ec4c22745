package io.earshot.access.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.osgi.framework.BundleContext;

/** A BundleContext that only answers framework properties, which is all the access component reads. */
final class FakeContext {

    private FakeContext() {
    }

    static BundleContext create(String dataDir, String host) {
        Map<String, String> properties = Map.of("earshot.data", dataDir, AccessGate.HOST_PROPERTY, host,
                AccessGate.PORT_PROPERTY, "7320");
        return (BundleContext) Proxy.newProxyInstance(FakeContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) return properties.get((String) args[0]);
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
