package io.earshot.api.runtime;

import java.time.Instant;

/**
 * A thread still running code of a plugin that was stopped or removed. The JVM cannot end a
 * thread from outside; a restart of the runtime does.
 *
 * @param bundleId the plugin's bundle
 * @param bundleName its symbolic name
 * @param removed whether the plugin was removed (else only stopped)
 * @param stoppedAt when the plugin stopped
 * @param threadName the thread's name
 * @param threadState the thread's state, e.g. {@code RUNNABLE}
 * @param cpuMillisSinceStop CPU the thread used since the plugin stopped, or -1 when unknown
 * @param where the plugin's frame nearest the top of the thread's stack
 */
public record LingeringThread(long bundleId, String bundleName, boolean removed, Instant stoppedAt,
        String threadName, String threadState, long cpuMillisSinceStop, String where) {
}
