package io.earshot.source.remote.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot remote source",
        description = "Another Earshot's (or an easy-dsp board's) audio WebSocket as this runtime's source. Select it with source=remote in io.earshot.hub.")
@interface RemoteConfig {

    @AttributeDefinition(description = "Audio WebSocket: ws://board:7320/ws/audio (Earshot) or ws://board:7321/ (easy-dsp)")
    String url() default "";

    @AttributeDefinition(description = "Config WebSocket to change the remote's stream: ws://board:7320/ws/config (Earshot) or ws://board:7322/ (easy-dsp); empty = take the remote's config as it is")
    String configUrl() default "";

    @AttributeDefinition(description = "The remote Earshot's access token, if it asks for one", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String token() default "";

    @AttributeDefinition(description = "Buffers held between the network and the capture thread (2..256)")
    int queue() default 32;
}
