package io.earshot.ingest.browser.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot browser ingest (Talk)",
        description = "Limits of /ws/ingest: talks pushed from browsers (or any client) as 16-bit mono PCM.")
@interface IngestConfig {

    @AttributeDefinition(description = "Talks at once; one more is closed with a reason (1..64)", min = "1", max = "64")
    int maxTalkers() default 32;

    @AttributeDefinition(description = "Longest talk in seconds; a longer one is saved up to there and closed with a reason", min = "1")
    int maxTalkSeconds() default 600;

    @AttributeDefinition(description = "Largest binary message in bytes (a longer one closes the talk: 1009)", min = "2")
    int maxMessageBytes() default 65536;

    @AttributeDefinition(description = "Seconds without a message before a talk is closed (the talker went away without closing)", min = "1")
    int idleSeconds() default 10;
}
