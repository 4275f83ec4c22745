package io.earshot.api;

import org.osgi.annotation.versioning.ProviderType;

/** One view in the browser, created by {@link Dashboard#handler}. Thread-safe; never blocks. */
@ProviderType
public interface Handler extends AutoCloseable {

    /** Unique in the runtime, stable while the handler lives. */
    String id();

    String name();

    String type();

    /**
     * Sends data to every browser showing this handler, in the form the type expects (easy-dsp's
     * {@code send_data} payloads): plain values, lists, arrays and maps. A browser that cannot
     * keep up loses messages (counted in the status); the caller is never slowed.
     *
     * @throws IllegalArgumentException with the type's reason when the data does not fit it;
     *                                  nothing is sent then
     * @throws IllegalStateException    when the handler was closed
     */
    void send(Object data);

    /**
     * Audio for the browser to play (types that play audio, such as {@code base:audio}): the
     * buffer's samples at its rate and channel count.
     *
     * @throws IllegalArgumentException when this handler's type does not play audio
     */
    void sendAudio(AudioBuffer audio);

    /** Removes the handler from every browser. */
    @Override
    void close();
}
