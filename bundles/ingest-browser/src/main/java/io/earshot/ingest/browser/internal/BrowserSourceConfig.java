package io.earshot.ingest.browser.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Earshot browser source",
        description = "The talks of the moment as a mono audio source (id browser): silence between talks.")
@interface BrowserSourceConfig {

    @AttributeDefinition(description = "The source's rate. Talks at another rate are resampled to it (their files keep"
            + " their own rate).", options = {@Option(value = "16000", label = "16 kHz"), @Option(value = "48000", label = "48 kHz")})
    int rate() default 16000;

    @AttributeDefinition(description = "When several talk at once: mix (their samples summed, clipped) or first (the talk that"
            + " began first is heard alone until it ends)", options = {@Option(value = "mix", label = "mix"), @Option(value = "first", label = "first come")})
    String overlap() default "mix";

    @AttributeDefinition(description = "Audio of a talk kept back before it is heard, on top of one buffer, in ms: rides out"
            + " the network's jitter (0..2000)", min = "0", max = "2000")
    int cushionMs() default 100;
}
