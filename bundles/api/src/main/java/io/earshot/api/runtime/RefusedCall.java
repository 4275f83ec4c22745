package io.earshot.api.runtime;

import java.time.Instant;

/**
 * A call of a plugin or script that would have ended the runtime, refused with a
 * {@link SecurityException} in the caller.
 *
 * @param bundleId the caller's bundle
 * @param bundleName its symbolic name
 * @param call what was called, e.g. {@code System.exit(3)}
 * @param where the calling frame, e.g. {@code com.acme.Loud.onBuffer(Loud.java:31)}
 * @param at when it was last refused
 * @param count how often this bundle made this call
 * @param stopped whether the runtime stopped the plugin for it (plugins are; scripts end their own way)
 */
public record RefusedCall(long bundleId, String bundleName, String call, String where, Instant at, long count, boolean stopped) {
}
