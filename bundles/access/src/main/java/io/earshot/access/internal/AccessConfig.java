package io.earshot.access.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot access", description = "The access token guarding every change.")
@interface AccessConfig {

    @AttributeDefinition(description = "A fixed token (16 to 256 printable characters); empty: keep the one in"
            + " data/token, or generate one. The EARSHOT_TOKEN environment variable wins over this.")
    String token() default "";
}
