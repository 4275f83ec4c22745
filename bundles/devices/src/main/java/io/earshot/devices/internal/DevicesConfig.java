package io.earshot.devices.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot devices",
        description = "A gRPC server for small playback devices (LED ring, buttons): Opus audio, LED frames, a clip queue per device.")
@interface DevicesConfig {

    @AttributeDefinition(description = "Serve devices (also switched on by starting with --devices)")
    boolean enabled() default false;

    @AttributeDefinition(description = "The gRPC port; it binds where Earshot binds")
    int port() default 50051;

    @AttributeDefinition(description = "Per-device keys: ID:KEY,ID:KEY")
    String keys() default "";

    @AttributeDefinition(description = "A key every device may use (empty: only the per-device keys)")
    String sharedKey() default "";

    @AttributeDefinition(description = "The LED mode of a new device: level, direction or off")
    String ledMode() default "level";

    @AttributeDefinition(description = "Devices known at once (online and offline); the longest offline is forgotten first")
    int maxDevices() default 64;

    @AttributeDefinition(description = "Clips waiting in one device's queue")
    int maxQueue() default 32;

    @AttributeDefinition(description = "Seconds of silence on a connection before it is pinged; no answer in as long again ends it")
    int keepaliveSeconds() default 10;

    @AttributeDefinition(description = "Seconds a device may not read before its call is ended")
    int stallSeconds() default 3;

    @AttributeDefinition(description = "Opus bit rate per channel (bits per second, 6000 to 256000)")
    int bitrate() default 96000;

    @AttributeDefinition(description = "Opus encoder complexity (0 to 10): CPU against quality")
    int complexity() default 5;

    @AttributeDefinition(description = "TLS: certificate chain (PEM) in conf/ or an absolute path; empty: plain text")
    String tlsCertificate() default "";

    @AttributeDefinition(description = "TLS: the certificate's private key (PKCS#8 PEM)")
    String tlsKey() default "";
}
