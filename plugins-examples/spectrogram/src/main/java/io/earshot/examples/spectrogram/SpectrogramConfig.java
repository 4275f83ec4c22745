package io.earshot.examples.spectrogram;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot example: spectrogram", description = "An accumulating spectrogram of one channel.")
@interface SpectrogramConfig {

    @AttributeDefinition(description = "Channel to analyse (0 = the first)")
    int channel() default 0;

    @AttributeDefinition(description = "Frequency rows (bins are grouped to this many, 16..1024)")
    int rows() default 256;

    @AttributeDefinition(description = "Columns kept on screen, one per buffer (16..4096)")
    int columns() default 300;

    @AttributeDefinition(description = "Bottom of the colour scale, dB")
    double minDb() default -100;

    @AttributeDefinition(description = "Top of the colour scale, dB")
    double maxDb() default 0;
}
