package io.earshot.config.checks.internal;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

import io.earshot.api.StatusContributor;

/**
 * Registers {@link ConfigChecks} as a ConfigAdmin plugin. A plain activator at an early start
 * level, not a DS component: the plugin must be there before SCR hands any component its
 * configuration, whatever order SCR would activate components in.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class Activator implements BundleActivator {

    private ServiceTracker<MetaTypeService, MetaTypeService> metatype;
    private ScheduledExecutorService folders;
    /**
     * The definitions of one bundle's PIDs (and factory PIDs) by bundle id and the bundle's last
     * change, read the first time a component of that bundle is configured: only the bundles
     * being configured have their metatype parsed.
     */
    private final Map<String, Map<String, ObjectClassDefinition>> definitions = new ConcurrentHashMap<>();

    @Override
    public void start(BundleContext context) {
        metatype = new ServiceTracker<>(context, MetaTypeService.class, null);
        metatype.open();
        ConfigChecks checks = new ConfigChecks(this::definition);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ConfigurationPlugin.CM_RANKING, 100); // within 0..1000: a plugin that may change values
        context.registerService(new String[] {ConfigurationPlugin.class.getName(), StatusContributor.class.getName()},
                checks, properties);
        folders = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "earshot-config-files");
            thread.setDaemon(true);
            return thread;
        });
        folders.scheduleWithFixedDelay(new ConfFolders(ConfFolders.of(context.getProperty("felix.fileinstall.dir")), checks),
                0, 1, TimeUnit.SECONDS);
    }

    /** The definition of {@code pid} in the metatype of {@code bundle} (the one being configured), or null. */
    private ObjectClassDefinition definition(Bundle bundle, String pid) {
        MetaTypeService service = metatype.getService();
        if (bundle == null || service == null) {
            return null; // nothing to check against (the metatype service is not up yet)
        }
        String key = bundle.getBundleId() + "@" + bundle.getLastModified();
        Map<String, ObjectClassDefinition> known = definitions.get(key);
        if (known == null) {
            known = new HashMap<>();
            MetaTypeInformation information = service.getMetaTypeInformation(bundle);
            if (information != null) {
                for (String[] pids : new String[][] {information.getPids(), information.getFactoryPids()}) {
                    for (String each : pids) {
                        known.put(each, information.getObjectClassDefinition(each, null));
                    }
                }
            }
            definitions.keySet().removeIf(k -> k.startsWith(bundle.getBundleId() + "@")); // an older version's
            definitions.put(key, known);
        }
        return known.get(pid);
    }

    @Override
    public void stop(BundleContext context) {
        folders.shutdownNow();
        metatype.close();
    }
}
