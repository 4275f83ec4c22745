package io.earshot.examples.fusion;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot example: fusion of several arrays",
        description = "Every stream with a pose: its direction of arrival (SRP-PHAT), turned into a room bearing;"
                + " the bearings crossed by least squares into the sound's position, drawn on a map.")
@interface FusionConfig {

    @AttributeDefinition(name = "earshot.stream", description = "The streams to fuse: * for every stream, or a comma-separated list")
    String earshot_stream() default "*";

    @AttributeDefinition(description = "Bearings closer to parallel than this, degrees, give no estimate (1..45)")
    double minAngleDegrees() default 10;

    @AttributeDefinition(description = "A bearing whose ray misses the crossing of the others by more than this, metres, is an outlier")
    double outlierMetres() default 0.5;

    @AttributeDefinition(description = "Bearings older than this, milliseconds, are not used (a stream that stopped)")
    int maxAgeMs() default 1000;

    @AttributeDefinition(description = "The room drawn on the map, \"width,height\" in metres; empty: fit what is drawn")
    String room() default "";

    @AttributeDefinition(description = "How many past estimates the map keeps as a trail (0..10000)")
    int trail() default 100;

    @AttributeDefinition(description = "Lowest frequency of the direction of arrival, Hz")
    double lowHz() default 300;

    @AttributeDefinition(description = "Highest frequency, Hz: below c / (2 x the widest mic spacing) avoids spatial aliasing"
            + " (the CompactSix's 12.5 cm: 1372 Hz)")
    double highHz() default 1500;

    @AttributeDefinition(description = "Radius of each array's circle of mics, m (the CompactSix: 0.0625)")
    double radius() default 0.0625;

    @AttributeDefinition(description = "Frame length of the analysis, samples (a power of two, 128..4096): short frames,"
            + " more of them in each buffer to average")
    int fftSize() default 256;

    @AttributeDefinition(description = "Speed of sound, m/s")
    double speedOfSound() default 343;
}
