package io.earshot.weaving.scope.internal;

import java.util.Set;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

/**
 * Registers {@link HiddenFromWeaver} before SPI Fly starts (this bundle has the lowest start
 * level). A plain activator, not a DS component: the hooks must be in place before SPI Fly's
 * bundle tracker opens, whatever order SCR would activate components in. It logs through
 * {@code System.err} only: touching slf4j before SPI Fly runs would bind it to no provider.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class Activator implements BundleActivator {

    /** Framework property: symbolic names, comma-separated, that SPI Fly must not weave. */
    static final String SKIP_PROPERTY = "earshot.weaving.skip";
    /**
     * Felix HTTP's Jetty asks SPI Fly to weave its 1,900 classes for two ServiceLoader uses that
     * Earshot does not need: HTTP field pre-encoders (Jetty falls back to its own for HTTP/1.0 and
     * 1.1) and ALPN (TLS only).
     */
    static final String DEFAULT_SKIP = "org.apache.felix.http.jetty12";

    private ServiceRegistration<?> registration;

    @Override
    public void start(BundleContext context) {
        String property = context.getProperty(SKIP_PROPERTY);
        Set<String> skip = HiddenFromWeaver.names(property != null ? property : DEFAULT_SKIP);
        if (skip.isEmpty()) {
            return;
        }
        for (Bundle bundle : context.getBundles()) {
            if (HiddenFromWeaver.WEAVER.equals(bundle.getSymbolicName())
                    && (bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                System.err.println("earshot: SPI Fly started before " + context.getBundle().getSymbolicName()
                        + ": it weaves " + skip + " too; give this bundle a lower start level");
            }
        }
        registration = context.registerService(new String[] {FindHook.class.getName(), EventHook.class.getName()},
                new HiddenFromWeaver(skip), null);
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }
}
