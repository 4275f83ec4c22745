package io.earshot.hub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot stream", description = "A stream beside the main one: its own source, capture thread,"
        + " sequence numbers and listeners (conf/io.earshot.stream~ID.cfg). Keys that are not listed here (url, token, device,"
        + " array, ...) are the stream's settings for its source.")
@interface StreamDefinitionConfig {

    @AttributeDefinition(description = "The stream's id (" + io.earshot.api.Streams.ID_RULE + "); empty: the name of the"
            + " configuration, as in io.earshot.stream~ID")
    String id() default "";

    @AttributeDefinition(description = "Id of the audio source to capture (synthetic, alsa, remote, room, ...)")
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
            + " counter-clockwise from the room's +x axis to mic 0); empty: unknown (or what the source knows)")
    String pose() default "";

    @AttributeDefinition(name = "Minimum reopen interval (ms)", min = "0", description = "Least time between two reopens"
            + " of the source for config changes (as the hub's)")
    int minReopenIntervalMs() default CaptureLoop.DEFAULT_MIN_REOPEN_INTERVAL_MS;
}
