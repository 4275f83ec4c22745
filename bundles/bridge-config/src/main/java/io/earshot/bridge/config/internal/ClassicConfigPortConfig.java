package io.earshot.bridge.config.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot config bridge")
@interface ClassicConfigPortConfig {

    @AttributeDefinition(name = "Classic port", description = "Port of the classic config server for easy-dsp clients,"
            + " used when the classic ports are switched on (io.earshot.classic or --classic); 0 = never."
            + " It takes changes WITHOUT the access token.")
    int earshot_classic_port() default 7322;
}
