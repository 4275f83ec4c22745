package io.earshot.source.synthetic.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot synthetic source",
        description = "A simulated microphone array hearing one sound source that circles it.")
@interface SyntheticConfig {

    @AttributeDefinition(description = "How fast the sound source circles the array, degrees per second (-3600..3600)")
    double angularSpeed() default 20;

    @AttributeDefinition(description = "Azimuth of the sound source when the stream opens, degrees counter-clockwise from mic 0 (-360..360)")
    double startAzimuth() default 0;

    @AttributeDefinition(description = "Signal-to-noise ratio at each microphone, dB (-20..120)")
    double snr() default 20;

    @AttributeDefinition(description = "Frequency of the steady tone, Hz; 0 for none")
    double toneHz() default 1000;

    @AttributeDefinition(description = "Add speech-like bursts (300-3400 Hz, syllable rhythm)")
    boolean speech() default true;

    @AttributeDefinition(description = "Radius of the array's circle in metres (0.0625 for the CompactSix board)")
    double radius() default 0.0625;

    @AttributeDefinition(description = "Seed of the noise and of the bursts, for repeatable runs")
    long seed() default 1;
}
