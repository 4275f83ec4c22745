package io.earshot.api;

import java.time.Duration;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/** Records a stretch of the live stream and hands it over: easy-dsp's {@code record_audio}. */
@ProviderType
public interface Recorder {

    /**
     * Records {@code duration} of the stream from the next buffer on and calls {@code done} with
     * the clip, on the recorder's thread. A config change ends the clip early (a clip has one
     * config).
     *
     * @throws IllegalArgumentException when the duration is not positive or the clip would exceed
     *                                  the recorder's memory limit (the message gives it)
     */
    void record(Duration duration, Consumer<AudioClip> done);
}
