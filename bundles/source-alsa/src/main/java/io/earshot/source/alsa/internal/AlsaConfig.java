package io.earshot.source.alsa.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot ALSA source",
        description = "Captures a microphone array through ALSA. Select it with source=alsa in io.earshot.hub.")
@interface AlsaConfig {

    @AttributeDefinition(description = "ALSA PCM to capture from, e.g. default, hw:1,0, plughw:CARD=ArrayUAC10 (see arecord -L)")
    String device() default "default";

    @AttributeDefinition(description = "Frames per device period; 0 = one period per published buffer (buffer_frames), as near as the device allows (16..65536)")
    int periodFrames() default 0;

    @AttributeDefinition(description = "Periods in the device's ring buffer: more survives longer stalls of the capture thread, at no cost in latency (2..64)")
    int ringPeriods() default 4;

    @AttributeDefinition(description = "Mixer to set the capture volume on; empty = the card of the device (hw:N) or default")
    String mixer() default "";

    @AttributeDefinition(description = "Capture volume controls to look for, first found wins (a list, or one comma-separated string); none found = software gain")
    String[] mixerControls() default {"Capture", "Mic", "ADC", "Digital"};

    @AttributeDefinition(description = "Absolute path of an ALSA configuration file loaded on top of the system's, to define PCMs for Earshot alone; empty = none")
    String configFile() default "";

    @AttributeDefinition(description = "A device that delivers nothing for this long (at least three periods) is treated as failed and reopened with backoff, ms (200..600000)")
    long silenceTimeout() default 2000;
}
