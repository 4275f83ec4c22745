package io.earshot.containment.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Capability;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.hooks.weaving.WeavingHook;

import io.earshot.api.StatusContributor;
import io.earshot.api.runtime.PluginContainment;
import io.earshot.containment.guard.ExitGuard;

/**
 * Puts the containment in place before the plugins folder is read (this bundle's start level is
 * below FileInstall's). A plain activator, not a DS component: the weaving and resolver hooks
 * must be registered before any plugin class loads, whenever SCR starts.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
// registered by the activator, so the resolver learns of the service from here
@Capability(namespace = "osgi.service", uses = PluginContainment.class,
        attribute = "objectClass:List<String>=\"io.earshot.api.runtime.PluginContainment,io.earshot.api.StatusContributor\"")
public final class Activator implements BundleActivator {

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private ScheduledExecutorService worker;
    private Containment containment;
    private Thread orderlyShutdown;

    @Override
    public void start(BundleContext context) {
        Path plugins = Path.of(property(context, "earshot.plugins", "plugins"));
        Path data = Path.of(property(context, "earshot.data", "data"));
        worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "earshot-containment");
            thread.setDaemon(true);
            return thread;
        });
        Quarantine quarantine = new Quarantine(data.resolve("containment"));
        quarantine.load().forEach(ConsoleLog::warn);
        containment = new Containment(context, new Contained(plugins), quarantine, new LingeringThreads(), worker);
        ExitGuard.witness(containment);
        context.addBundleListener(containment);
        registrations.add(context.registerService(WeavingHook.class, new ExitCallWeaver(containment), null));
        registrations.add(context.registerService(ResolverHookFactory.class, quarantine, null));
        registrations.add(context.registerService(new String[] {PluginContainment.class.getName(), StatusContributor.class.getName()},
                containment, null));
        worker.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        // the launcher does not stop the framework on SIGTERM or Ctrl-C, so plugins get no STOPPED event then
        orderlyShutdown = new Thread(quarantine::orderlyShutdown, "earshot-containment-shutdown");
        Runtime.getRuntime().addShutdownHook(orderlyShutdown);
    }

    private void sweep() {
        try {
            containment.sweep();
        } catch (RuntimeException e) {
            ConsoleLog.warn("containment sweep failed: " + e);
        }
    }

    @Override
    public void stop(BundleContext context) {
        try {
            Runtime.getRuntime().removeShutdownHook(orderlyShutdown);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        context.removeBundleListener(containment);
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
        ExitGuard.witness(null);
        worker.shutdownNow();
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
