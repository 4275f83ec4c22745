package io.earshot.api;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A recording opened with {@link Recordings#open}, fed by its owner. Samples are S16,
 * interleaved when there are several channels. Feeding never waits for the disk: the recorder
 * copies the samples and writes them on its own thread, so a disk slower than the feed shows as
 * {@link #write} failing once the backlog limit is reached, never as a caller blocked.
 *
 * @since 1.6
 */
@ProviderType
public interface FedRecording {

    /** The name it was opened with (its files are {@code NAME.wav} and {@code NAME.json}). */
    String name();

    /**
     * Appends {@code length} samples of {@code samples} from {@code offset}: whole frames.
     *
     * @throws IllegalArgumentException when {@code length} is not a whole number of frames
     * @throws IOException              when the recording has ended (closed, stopped by a user, a
     *                                  write failed, its file was deleted) or more than its
     *                                  backlog limit waits to be written; the message says why,
     *                                  and what was fed before stays in the file
     */
    void write(short[] samples, int offset, int length) throws IOException;

    /** Ends it normally: what was fed is written and the file finalized. Once ended, does nothing. */
    void close();

    /** Ends it with {@code reason} noted in its sidecar and the listing (state {@code stopped}). */
    void stop(String reason);
}
