package io.earshot.source.synthetic.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot simulated room",
        description = "A room with talkers walking in it and several microphone arrays, each array a stream of its own"
                + " (source=room; the stream's array setting, else the array of the stream's id, else the first).")
@interface RoomConfig {

    @AttributeDefinition(description = "The scene file (JSON): absolute, or in the configuration folder")
    String scene() default "room.json";
}
