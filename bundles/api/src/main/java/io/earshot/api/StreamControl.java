package io.earshot.api;

import org.osgi.annotation.versioning.ProviderType;

/** Reads and changes the live stream's configuration. Provided by the hub. */
@ProviderType
public interface StreamControl {

    /** The config the stream runs with now. */
    StreamConfig current();

    /** What the active source can do. */
    SourceCapabilities capabilities();

    /** The id of the active source. */
    String sourceId();

    /**
     * Checks {@code wanted} against the active source and, when it is acceptable and different,
     * stops the source, reopens it with {@code wanted} and announces it to every consumer.
     * A refused change leaves the stream running on its old config.
     */
    ConfigChange change(StreamConfig wanted);
}
