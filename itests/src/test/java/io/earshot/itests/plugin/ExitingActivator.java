package io.earshot.itests.plugin;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A plugin whose activator ends the JVM: without containment the runtime dies at every start. */
public class ExitingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        System.exit(3);
    }

    @Override
    public void stop(BundleContext context) {
    }
}
