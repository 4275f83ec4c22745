package io.earshot.hub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot hub", description = "Which source to capture and the stream's starting configuration.")
@interface HubConfig {

    @AttributeDefinition(description = "Id of the audio source to capture (synthetic, alsa, remote, ...)")
    String source() default "synthetic";

    @AttributeDefinition(description = "Sample rate in samples per second")
    int rate() default 48000;

    @AttributeDefinition(description = "Number of channels")
    int channels() default 6;

    @AttributeDefinition(name = "buffer_frames", description = "Frames per published buffer")
    int buffer__frames() default 4096;

    @AttributeDefinition(description = "Capture volume in percent (0..100)")
    int volume() default 80;

    @AttributeDefinition(description = "Where the array stands in the room: x,y,heading (metres, metres, degrees"
            + " counter-clockwise from the room's +x axis to mic 0), for plugins that map several arrays; empty: unknown"
            + " (or what the source knows)")
    String pose() default "";

    @AttributeDefinition(name = "Minimum reopen interval (ms)", min = "0", description = "Least time between two reopens"
            + " of the source for config changes. A change coming sooner waits, merged with those coming meanwhile (the"
            + " last value of each key wins), and all are applied together at the end of the next buffer; the stream"
            + " runs on its current config until then. 0: every change reopens at once.")
    int minReopenIntervalMs() default CaptureLoop.DEFAULT_MIN_REOPEN_INTERVAL_MS;
}
