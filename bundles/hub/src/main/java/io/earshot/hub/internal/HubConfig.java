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
}
