package io.earshot.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The plugin SPI: register any component as an {@code AudioListener} service and it receives
 * the live stream (whiteboard; nothing else to call).
 * <p>
 * Each listener gets its own thread and a bounded queue. {@link #onConfig} always comes before
 * the first buffer of a config. A listener that is slower than the stream loses buffers (counted
 * in the status; the sequence numbers show the gap); it never slows capture or other listeners.
 * An exception thrown from a callback is logged and the next buffer is delivered as usual.
 * <p>
 * A listener receives the main stream unless its {@link Streams#PROPERTY} service property
 * names others, or {@link Streams#ALL}; {@link AudioBuffer#stream()} says which a buffer is of.
 */
@ConsumerType
public interface AudioListener {

    /** Service property: a name for status and logs (default: the component name). */
    String NAME = "earshot.listener.name";

    /** Service property: how many buffers may wait for this listener before it loses some (default 16, at most 1024). */
    String QUEUE = "earshot.listener.queue";

    /** The stream's config: once when the listener is bound, then on every change. */
    default void onConfig(StreamConfig config) {
    }

    /**
     * The config of the stream {@code stream}: what the hub calls, once when the listener is
     * bound to that stream, then on every change. A listener of several streams
     * ({@link Streams#PROPERTY}) overrides this one to tell them apart; by default it calls
     * {@link #onConfig(StreamConfig)}. Each stream calls from a thread of its own.
     *
     * @since 1.7
     */
    default void onConfig(String stream, StreamConfig config) {
        onConfig(config);
    }

    /** The next buffer of the stream. */
    void onBuffer(AudioBuffer buffer);
}
