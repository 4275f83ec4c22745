package io.earshot.api.runtime;

import java.time.Instant;

/**
 * A plugin not started because the runtime ended (a crash, a kill) while it was starting or in
 * the seconds after, the last time it was started.
 *
 * @param bundleId the plugin's bundle in this run
 * @param bundleName its symbolic name
 * @param location where it was installed from
 * @param startedAt when that start began
 */
public record HeldBack(long bundleId, String bundleName, String location, Instant startedAt) {
}
