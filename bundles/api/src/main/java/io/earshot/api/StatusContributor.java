package io.earshot.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the runtime's status document ({@code /api/status}, {@code earshot:status}).
 * Register it as a service (whiteboard); its map appears under {@link #statusKey()}.
 */
@ConsumerType
public interface StatusContributor {

    /** The key of this part in the status document, e.g. {@code audio_clients}. */
    String statusKey();

    /** A snapshot of plain values: strings, numbers, booleans, lists and maps of them. */
    Object status();
}
