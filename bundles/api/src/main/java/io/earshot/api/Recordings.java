package io.earshot.api;

import java.io.IOException;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's recordings folder, for audio that is not the hub's stream (a talk from a
 * browser, a clip of an intercom): a bundle opens a recording of its own format, feeds it
 * samples and closes it. The recorder writes it as it writes the stream's recordings: on a
 * thread of its own, the header brought up to date and the data forced to disk each second,
 * repaired at the next start after a crash, listed and served by {@code /api/recordings} with
 * its origin marked.
 *
 * @since 1.6
 */
@ProviderType
public interface Recordings {

    /**
     * Opens a new recording: files {@code NAME.wav} (then {@code NAME-002.wav} ... past 2 GiB)
     * and the sidecar {@code NAME.json}; nothing existing is overwritten.
     *
     * @param name     1 to 64 of {@code A-Za-z0-9_-}, starting with a letter or digit, not ending
     *                 in {@code -} and three digits
     * @param origin   what made it, shown in the listing, e.g. {@code talk}: 1 to 32 of {@code a-z0-9-}
     * @param rate     samples per second of every frame fed
     * @param channels samples per frame
     * @param details  plain values (strings, numbers, booleans, lists and maps of them) kept in the
     *                 sidecar and the listing, e.g. who spoke
     * @throws IllegalArgumentException a bad name, origin or format; the message says what is allowed
     * @throws IOException              when it cannot start now: the name is taken, too many are
     *                                  open, the folder is not writable or the disk nearly full
     */
    FedRecording open(String name, String origin, int rate, int channels, Map<String, Object> details) throws IOException;
}
