package io.earshot.classic.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot classic ports",
        description = "easy-dsp's own ports (audio 7321, config 7322) for clients written for the original."
                + " The classic config port takes changes without the access token.")
@interface ClassicPortsConfig {

    @AttributeDefinition(description = "Serve the classic ports (also switched on by starting with --classic)")
    boolean enabled() default false;
}
