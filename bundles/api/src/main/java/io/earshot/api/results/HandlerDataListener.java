package io.earshot.api.results;

import org.osgi.annotation.versioning.ConsumerType;

import io.earshot.api.AudioBuffer;
import io.earshot.api.status.HandlerInfo;

/**
 * Gets the data of every dashboard handler (whiteboard: register it as a service). Called on the
 * thread of the plugin that sent the data, so it must return at once: queue the data and do the
 * work on a thread of its own. One that throws is logged and counted, and the plugin never sees it.
 */
@ConsumerType
public interface HandlerDataListener {

    /**
     * {@code json} is the data as browsers get it (checked by the handler's type), encoded once.
     */
    void data(HandlerInfo handler, String json);

    /** The handler is gone (closed by its plugin, or its plugin or type stopped). */
    void removed(HandlerInfo handler);

    /**
     * Audio a plugin sent to a handler that plays it ({@code Handler.sendAudio}, e.g. the
     * beamformer's output), the same buffer browsers get. The buffer is the plugin's: read it now
     * or copy it. Ignored unless overridden.
     */
    default void audio(HandlerInfo handler, AudioBuffer audio) {
    }
}
