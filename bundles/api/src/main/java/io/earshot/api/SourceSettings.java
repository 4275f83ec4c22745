package io.earshot.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a stream asks of its source beyond the four numbers: the stream's id and the settings
 * of the stream's configuration that are not the hub's own ({@code url} and {@code token} for a
 * remote board, {@code device} for ALSA, {@code array} in a simulated room, ...). A source uses a
 * setting it knows and falls back to its own configuration for the others; the main stream has
 * none, so a source configured as before behaves as before.
 *
 * @since 1.7
 */
public record SourceSettings(String stream, Map<String, String> values) {

    /** The main stream's: no settings of its own. */
    public static final SourceSettings MAIN = new SourceSettings(Streams.MAIN, Map.of());

    public SourceSettings {
        Objects.requireNonNull(stream, "stream");
        values = Map.copyOf(values);
    }

    /** The setting {@code key}, trimmed, or {@code fallback} when the stream does not set it (or sets it empty). */
    public String get(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Whether the stream sets {@code key} to something not blank. */
    public boolean has(String key) {
        String value = values.get(key);
        return value != null && !value.isBlank();
    }
}
