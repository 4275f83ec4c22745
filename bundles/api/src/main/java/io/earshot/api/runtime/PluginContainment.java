package io.earshot.api.runtime;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How the runtime keeps plugins (bundles from the plugins folder) and scripts from taking it
 * down: calls that would end the runtime are refused, threads a stopped plugin leaves running
 * are watched, and a plugin whose start brought the runtime down is held back at the next start.
 */
@ProviderType
public interface PluginContainment {

    /**
     * Whether the bundle of that id is one the runtime contains: a plugin (from the plugins folder)
     * or a script; the runtime's own bundles are not.
     */
    boolean contains(long bundleId);

    /** The calls refused so far, one entry per bundle and call (the latest), newest first; bounded. */
    List<RefusedCall> refusedCalls();

    /** Threads of stopped or removed plugins that are still alive (they end with the runtime). */
    List<LingeringThread> lingeringThreads();

    /** Plugins installed but not started because the runtime ended while they were starting. */
    List<HeldBack> heldBack();

    /**
     * Lets a held-back plugin be started again (its start is then watched like any other).
     *
     * @return false when the bundle was not held back
     */
    boolean release(long bundleId);
}
