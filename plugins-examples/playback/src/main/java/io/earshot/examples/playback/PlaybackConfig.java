package io.earshot.examples.playback;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot example: playback", description = "Two channels of the stream, played in the browser.")
@interface PlaybackConfig {

    @AttributeDefinition(description = "Channel played on the left")
    int left() default 0;

    @AttributeDefinition(description = "Channel played on the right")
    int right() default 1;
}
