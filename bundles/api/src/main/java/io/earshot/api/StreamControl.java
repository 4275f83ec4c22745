package io.earshot.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and changes a live stream's configuration. Provided by the hub, once per stream, with
 * the service property {@link Streams#PROPERTY}; the main stream's ranks highest, so a
 * reference without a target gets it.
 */
@ProviderType
public interface StreamControl {

    /**
     * The id of this stream.
     *
     * @since 1.7
     */
    default String stream() {
        return Streams.MAIN;
    }

    /**
     * Where this stream's array stands in the room: the {@code pose} of the stream's
     * configuration, else what its source knows; null when neither says.
     *
     * @since 1.7
     */
    default ArrayPose pose() {
        return null;
    }

    /** The config the stream runs with now. */
    StreamConfig current();

    /** What the active source can do. */
    SourceCapabilities capabilities();

    /** The id of the active source. */
    String sourceId();

    /**
     * Checks {@code wanted} against the active source and, when it is acceptable and different,
     * stops the source, reopens it with {@code wanted} and announces it to every consumer.
     * A refused change leaves the stream running on its old config. Waits for the answer of
     * {@link #requestChange} with all four values.
     */
    ConfigChange change(StreamConfig wanted);

    /**
     * Changes the values named in {@code values} (keys of {@link StreamConfig#KEYS}) and keeps
     * the others, without waiting. Changes that come faster than the source may reopen wait and
     * are merged key by key in the order they came, the last value of each key winning; then the
     * source reopens once for all of them, and each gets that reopen's answer. The stream runs on
     * its current config meanwhile. A change the active source cannot run is refused at once
     * and leaves the waiting ones as they were.
     *
     * @since 1.5
     */
    CompletionStage<ConfigChange> requestChange(Map<String, Integer> values);
}
