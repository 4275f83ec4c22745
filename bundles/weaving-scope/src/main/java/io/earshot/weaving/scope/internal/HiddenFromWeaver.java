package io.earshot.weaving.scope.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

/**
 * Hides some bundles from SPI Fly's bundle context: its tracker then never records them as
 * consumers, and its weaving hook passes their classes through untouched instead of running each
 * one through ASM. Every other bundle sees them as usual.
 */
final class HiddenFromWeaver implements FindHook, EventHook {

    static final String WEAVER = "org.apache.aries.spifly.dynamic.bundle";

    private final Set<String> hidden;

    HiddenFromWeaver(Set<String> hidden) {
        this.hidden = Set.copyOf(hidden);
    }

    static Set<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void find(BundleContext context, Collection<Bundle> bundles) {
        if (isWeaver(context)) {
            bundles.removeIf(bundle -> hidden.contains(bundle.getSymbolicName()));
        }
    }

    @Override
    public void event(BundleEvent event, Collection<BundleContext> contexts) {
        if (hidden.contains(event.getBundle().getSymbolicName())) {
            contexts.removeIf(HiddenFromWeaver::isWeaver);
        }
    }

    private static boolean isWeaver(BundleContext context) {
        try {
            return WEAVER.equals(context.getBundle().getSymbolicName());
        } catch (IllegalStateException stale) {
            return false;
        }
    }
}
