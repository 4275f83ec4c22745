package io.earshot.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A place audio comes from: the simulated array, an ALSA device, another runtime's stream.
 * Register it as a service; the hub uses the one its configuration names (PID
 * {@code io.earshot.hub}, property {@code source}) and owns the capture thread that reads it.
 */
@ConsumerType
public interface AudioSource {

    /** Service property carrying {@link #id()}, so configurations can target a source. */
    String ID_PROPERTY = "earshot.source.id";

    /** Short stable name used in configuration and commands, e.g. {@code synthetic}, {@code alsa}. */
    String id();

    /** A human-readable description, e.g. the device name. */
    String label();

    /** What this source can deliver now. */
    SourceCapabilities capabilities();

    /**
     * Starts capturing with {@code config}, which the caller has checked against
     * {@link #capabilities()}.
     *
     * @throws SourceException with a reason a person can act on when the source cannot start
     */
    Capture open(StreamConfig config) throws SourceException;

    /**
     * What this source can deliver for a stream with {@code settings}; by default what
     * {@link #capabilities()} says.
     *
     * @since 1.7
     */
    default SourceCapabilities capabilities(SourceSettings settings) {
        return capabilities();
    }

    /**
     * Starts capturing for a stream with {@code settings} (the main stream's are empty). A source
     * that can serve several streams at once reads what it needs from them; by default
     * {@link #open(StreamConfig)}, the same for every stream.
     *
     * @throws SourceException with a reason a person can act on when the source cannot start
     * @since 1.7
     */
    default Capture open(StreamConfig config, SourceSettings settings) throws SourceException {
        return open(config);
    }

    /**
     * Where the array behind a stream with {@code settings} stands, when the source knows (a
     * simulated room does); null when it does not. A pose in the stream's own configuration wins.
     *
     * @since 1.7
     */
    default ArrayPose pose(SourceSettings settings) {
        return null;
    }

    /** Source-specific facts for the status document (plain values: strings, numbers, lists, maps). */
    default Map<String, Object> status() {
        return Map.of();
    }
}
