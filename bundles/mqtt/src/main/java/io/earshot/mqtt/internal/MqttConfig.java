package io.earshot.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot MQTT", description = "Handler data, each stream's status and plugins' events to an MQTT broker;"
        + " config commands in when enabled. Off while broker is empty.")
@interface MqttConfig {

    @AttributeDefinition(name = "Broker", description = "tcp://HOST[:PORT] (1883) or ssl://HOST[:PORT] (8883); empty: off")
    String broker() default "";

    @AttributeDefinition(name = "MQTT version", description = "5 or 3 (3.1.1)")
    int mqttVersion() default 5;

    @AttributeDefinition(name = "Client id", description = "empty: earshot-<node>")
    String clientId() default "";

    @AttributeDefinition(name = "User name", description = "empty: connect without a login")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "Trust store", description = "for ssl://: a PKCS12 or JKS file of the CAs to trust (absolute path);"
            + " empty: the JVM's own")
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD)
    String trustStorePassword() default "";

    @AttributeDefinition(name = "Node", description = "this runtime's name in topics; empty: the host name")
    String node() default "";

    @AttributeDefinition(name = "Topic prefix", description = "empty: earshot/<node>")
    String prefix() default "";

    @AttributeDefinition(name = "Handler rate", description = "most messages a second on each handler topic; the latest data wins")
    int handlerRateHz() default DEFAULT_HANDLER_RATE_HZ;

    @AttributeDefinition(name = "Outgoing queue", description = "messages handed to the client and not yet sent;"
            + " beyond it messages are dropped and counted")
    int queueSize() default DEFAULT_QUEUE_SIZE;

    @AttributeDefinition(name = "Commands", description = "take config/set from the broker: the broker's access control is then"
            + " what decides who may change the stream")
    boolean commands() default false;

    @AttributeDefinition(name = "Home Assistant discovery", description = "announce the board under homeassistant/ (retained)")
    boolean homeAssistant() default true;

    @AttributeDefinition(name = "Keep alive", description = "seconds")
    int keepAliveSeconds() default 30;

    int DEFAULT_HANDLER_RATE_HZ = 10;
    int DEFAULT_QUEUE_SIZE = 256;
}
