package io.earshot.intercom.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot intercom",
        description = "A TCP port that delivers clips of the stream, recorded on command, to its clients"
                + " (bin/earshot-intercom). Bound where Earshot binds; beyond loopback clients need the access token.")
@interface IntercomConfig {

    @AttributeDefinition(description = "Serve the intercom (also switched on by starting with --intercom)")
    boolean enabled() default false;

    @AttributeDefinition(description = "TCP port of the intercom", min = "1", max = "65535")
    int port() default 7323;
}
