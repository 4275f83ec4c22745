package io.earshot.scripts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot script executor",
        description = "Plugins written in the browser's editor, sent to /ws/scripts or run with earshot:run: compiled and run in this runtime.")
@interface ScriptsConfig {

    @AttributeDefinition(description = "Whether scripts may run. Running code sent over the network is the most powerful thing"
            + " Earshot does (the access token guards it); switch it off where nobody should. Switching off stops the running scripts.")
    boolean enabled() default true;
}
