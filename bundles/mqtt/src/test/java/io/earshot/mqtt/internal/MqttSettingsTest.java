package io.earshot.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;

import org.junit.Test;

public class MqttSettingsTest {

    /** The config with its defaults, a broker and what a test changes. */
    private static class Config implements MqttConfig {
        String broker = "tcp://broker.lan";
        String prefix = "";
        String trustStore = "";
        int mqttVersion = 5;
        int rate = DEFAULT_HANDLER_RATE_HZ;

        @Override public Class<? extends Annotation> annotationType() { return MqttConfig.class; }
        @Override public String broker() { return broker; }
        @Override public int mqttVersion() { return mqttVersion; }
        @Override public String clientId() { return ""; }
        @Override public String username() { return ""; }
        @Override public String password() { return ""; }
        @Override public String trustStore() { return trustStore; }
        @Override public String trustStorePassword() { return ""; }
        @Override public String node() { return "Kitchen Board"; }
        @Override public String prefix() { return prefix; }
        @Override public int handlerRateHz() { return rate; }
        @Override public int queueSize() { return DEFAULT_QUEUE_SIZE; }
        @Override public boolean commands() { return false; }
        @Override public boolean homeAssistant() { return true; }
        @Override public int keepAliveSeconds() { return 30; }
    }

    private static String refusal(Config config) {
        try {
            MqttBridge.settings(config);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("taken");
    }

    @Test
    public void defaultsComeFromTheNode() {
        MqttSession.Settings settings = MqttBridge.settings(new Config());
        assertEquals("tcp://broker.lan:1883", settings.broker().toString());
        assertEquals("earshot/kitchen-board", settings.prefix());
        assertEquals("earshot-kitchen-board", settings.clientId());
        assertNull(settings.trust());
        assertEquals("ssl://b:8883", BrokerAddress.parse("ssl://b").toString());
        assertEquals("tcp://10.0.0.2:1884", BrokerAddress.parse("mqtt://10.0.0.2:1884").toString());
    }

    @Test
    public void badSettingsAreRefusedWithWhatIsAllowed() {
        Config config = new Config();
        config.broker = "http://broker.lan";
        assertTrue(refusal(config), refusal(config).contains("must be tcp://HOST[:PORT] (default port 1883) or ssl://HOST[:PORT]"));
        config.broker = "tcp://broker.lan/topic";
        assertTrue(refusal(config).contains("must be tcp://"));
        config = new Config();
        config.mqttVersion = 4;
        assertEquals("mqttVersion must be 5 or 3 (3.1.1), got 4", refusal(config));
        config = new Config();
        config.rate = 0;
        assertEquals("handlerRateHz must be 1..1000, got 0", refusal(config));
        config = new Config();
        config.prefix = "home/#";
        assertTrue(refusal(config).contains("without + or #"));
        config = new Config();
        config.trustStore = "/nowhere/ca.p12";
        assertEquals("trustStore is set but broker tcp://broker.lan:1883 is not ssl://", refusal(config));
        config.broker = "ssl://broker.lan";
        assertEquals("trustStore /nowhere/ca.p12 does not exist", refusal(config));
    }
}
