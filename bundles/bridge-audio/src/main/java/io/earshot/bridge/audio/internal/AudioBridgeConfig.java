package io.earshot.bridge.audio.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot audio bridge", description = "The audio WebSocket: limits for clients.")
@interface AudioBridgeConfig {

    @AttributeDefinition(description = "Most WebSocket clients served at once (1..10000); more are refused with HTTP 503")
    int maxClients() default 1000;

    @AttributeDefinition(description = "Buffers a client may have in flight before it loses the next ones (1..64)")
    int maxInFlight() default 4;

    @AttributeDefinition(description = "A client that loses every buffer for this many seconds is closed (1..3600)")
    int closeAfterSeconds() default 10;

    @AttributeDefinition(description = "Threads that send to clients (1..16), read when the bridge starts: past"
            + " clientsPerThread clients, new clients go to the thread with the fewest, so hundreds of clients"
            + " can use more than one core")
    int sendThreads() default 4;

    @AttributeDefinition(description = "Clients the bridge's own thread serves before others are used (1..10000)")
    int clientsPerThread() default 64;

    @AttributeDefinition(name = "Classic port", description = "Port of the classic audio server for easy-dsp clients,"
            + " used when the classic ports are switched on (io.earshot.classic or --classic); 0 = never")
    int earshot_classic_port() default 7321;
}
