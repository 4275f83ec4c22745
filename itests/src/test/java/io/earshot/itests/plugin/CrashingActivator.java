package io.earshot.itests.plugin;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A plugin whose start brings the runtime down in a way no check of Java calls can stop (as a
 * native crash would): it has the JVM killed, while the file {@code data/crash-on-start} exists.
 */
public class CrashingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws Exception {
        if (Files.exists(Path.of(context.getProperty("earshot.data"), "crash-on-start"))) {
            new ProcessBuilder("kill", "-9", String.valueOf(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            Thread.sleep(10_000);
        }
    }

    @Override
    public void stop(BundleContext context) {
    }
}
