package io.earshot.examples.spectrum;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot example: spectrum", description = "The magnitude spectrum of one channel, raw and band-passed.")
@interface SpectrumConfig {

    @AttributeDefinition(description = "Channel to analyse (0 = the first)")
    int channel() default 0;

    @AttributeDefinition(description = "Lower edge of the band-pass filter, Hz")
    double lowHz() default 300;

    @AttributeDefinition(description = "Upper edge of the band-pass filter, Hz")
    double highHz() default 3400;

    @AttributeDefinition(description = "Points drawn (the spectrum is reduced to this many, keeping each group's maximum)")
    int points() default 512;
}
