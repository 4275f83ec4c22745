package io.earshot.containment.internal;

import java.net.URI;
import java.nio.file.Path;

import org.osgi.framework.Bundle;

/**
 * Which bundles are contained: plugins (installed from the plugins folder) and scripts (installed
 * by the script executor). The runtime's own bundles are not.
 */
final class Contained {

    /** The location prefix of the script executor's bundles. */
    static final String SCRIPT_LOCATION = "earshot-script:";

    private final Path pluginsFolder;

    Contained(Path pluginsFolder) {
        this.pluginsFolder = pluginsFolder.toAbsolutePath().normalize();
    }

    boolean contains(Bundle bundle) {
        return isScript(bundle) || isPlugin(bundle);
    }

    static boolean isScript(Bundle bundle) {
        String location = bundle.getLocation();
        return location != null && location.startsWith(SCRIPT_LOCATION);
    }

    boolean isPlugin(Bundle bundle) {
        return isPluginLocation(bundle.getLocation());
    }

    boolean isPluginLocation(String location) {
        if (location == null || !location.startsWith("file:")) {
            return false;
        }
        try {
            Path parent = Path.of(URI.create(location)).toAbsolutePath().normalize().getParent();
            return pluginsFolder.equals(parent);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return false;
        }
    }
}
