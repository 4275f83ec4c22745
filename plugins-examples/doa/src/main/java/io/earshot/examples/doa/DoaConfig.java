package io.earshot.examples.doa;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Earshot example: direction of arrival",
        description = "Where the sound comes from, in the array's plane: SRP-PHAT or MUSIC, on a polar plot.")
@interface DoaConfig {

    @AttributeDefinition(description = "The method", options = {
            @Option(label = "SRP-PHAT (steered response power, phase transform)", value = "SRP_PHAT"),
            @Option(label = "MUSIC (noise subspace)", value = "MUSIC")})
    String method() default "SRP_PHAT";

    @AttributeDefinition(description = "Lowest frequency used, Hz")
    double lowHz() default 300;

    @AttributeDefinition(description = "Highest frequency used, Hz (below c / (2 x mic spacing) avoids spatial aliasing)")
    double highHz() default 3500;

    @AttributeDefinition(description = "Radius of the circle of mics, m (the CompactSix: 0.0625); 48 channels: rings of r, 2r, 3r")
    double radius() default 0.0625;

    @AttributeDefinition(description = "Mic positions \"x,y;x,y;...\" in metres, one per channel; empty = the circle above")
    String positions() default "";

    @AttributeDefinition(description = "Frame length of the analysis, samples (a power of two, 128..4096)")
    int fftSize() default 512;

    @AttributeDefinition(description = "Speed of sound, m/s")
    double speedOfSound() default 343;

    @AttributeDefinition(name = "earshot.stream", description = "The streams to estimate: main, a comma-separated list, or * for every stream")
    String earshot_stream() default "main";
}
