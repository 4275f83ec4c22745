package io.earshot.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import javax.net.ssl.TrustManagerFactory;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;

/**
 * One connection to the broker through the HiveMQ client (MQTT 5 or 3.1.1): the last will
 * (availability {@code offline}, retained), reconnects with backoff, and what went wrong last,
 * said for a person. Publishing never waits: it hands the message to the client's own event loop.
 */
final class MqttLink implements Outbox.Wire {

    static final long FIRST_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;

    /** What the link calls back, on the client's threads: keep it short. */
    interface Events {
        void connected();

        /** Messages on the topics {@link #subscribe}d. */
        void message(String topic, byte[] payload);
    }

    private final BrokerAddress broker;
    private final boolean v5;
    private final Mqtt5AsyncClient client5;
    private final Mqtt3AsyncClient client3;
    private final Events events;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectionsLost = new AtomicLong();
    private volatile boolean connected;
    private volatile boolean stopped;
    private volatile long backoffMs = FIRST_BACKOFF_MS;
    private volatile String lastError;
    private volatile long lastErrorMillis;

    /**
     * The login and the will go on the client itself, not on its first connect: its reconnects
     * reuse only what the client holds (a login given to the connect alone was refused on every
     * reconnect, hivemq-mqtt-client#574).
     */
    MqttLink(BrokerAddress broker, int mqttVersion, String clientId, TrustManagerFactory trust, String username, String password,
             String willTopic, Events events) {
        this.broker = broker;
        this.v5 = mqttVersion == 5;
        this.events = events;
        MqttClientBuilder builder = MqttClient.builder().identifier(clientId).serverHost(broker.host()).serverPort(broker.port())
                .addConnectedListener(this::onConnected).addDisconnectedListener(this::onDisconnected);
        if (broker.tls()) {
            builder = trust == null ? builder.sslWithDefaultConfig() : builder.sslConfig().trustManagerFactory(trust).applySslConfig();
        }
        byte[] offline = "offline".getBytes(StandardCharsets.UTF_8);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (v5) {
            var client = builder.useMqttVersion5()
                    .willPublish().topic(willTopic).payload(offline).qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish();
            client5 = (username.isEmpty() ? client : client.simpleAuth().username(username).password(secret).applySimpleAuth()).buildAsync();
            client3 = null;
            client5.publishes(MqttGlobalPublishFilter.SUBSCRIBED, p -> events.message(p.getTopic().toString(), p.getPayloadAsBytes()));
        } else {
            var client = builder.useMqttVersion3()
                    .willPublish().topic(willTopic).payload(offline).qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish();
            client3 = (username.isEmpty() ? client : client.simpleAuth().username(username).password(secret).applySimpleAuth()).buildAsync();
            client5 = null;
            client3.publishes(MqttGlobalPublishFilter.SUBSCRIBED, p -> events.message(p.getTopic().toString(), p.getPayloadAsBytes()));
        }
    }

    /** Connects, and keeps reconnecting until {@link #stop}. */
    void start(int keepAliveSeconds) {
        CompletableFuture<?> connecting = v5 ? client5.connectWith().cleanStart(true).keepAlive(keepAliveSeconds).send()
                : client3.connectWith().cleanSession(true).keepAlive(keepAliveSeconds).send();
        connecting.whenComplete((ack, e) -> {
            if (e != null) failed(e);
        });
    }

    private void onConnected(MqttClientConnectedContext context) {
        connected = true;
        connects.incrementAndGet();
        backoffMs = FIRST_BACKOFF_MS;
        events.connected();
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        if (connected) connectionsLost.incrementAndGet();
        connected = false;
        if (context.getCause() != null) failed(context.getCause());
        if (stopped) {
            context.getReconnector().reconnect(false);
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, delay * 2);
        // a clean start every time: this side subscribes again itself when connected
        context.getReconnector().reconnect(true).resubscribeIfSessionExpired(false).republishIfSessionExpired(false)
                .delay(delay, TimeUnit.MILLISECONDS);
    }

    private void failed(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) e = e.getCause();
        if (stopped && e.getClass().getSimpleName().contains("Disconnected")) return; // our own disconnect
        lastError = describe(e);
        lastErrorMillis = System.currentTimeMillis();
    }

    private String describe(Throwable e) {
        if (e instanceof Mqtt5ConnAckException refused) {
            return "the broker " + broker + " refused the connection: " + refused.getMqttMessage().getReasonCode()
                    + refused.getMqttMessage().getReasonString().map(r -> " (" + r + ")").orElse("");
        }
        if (e instanceof Mqtt3ConnAckException refused) {
            return "the broker " + broker + " refused the connection: " + refused.getMqttMessage().getReturnCode();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return broker + ": " + message;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public CompletableFuture<?> publish(String topic, byte[] payload, MqttQos qos, boolean retain) {
        if (v5) {
            return client5.publishWith().topic(topic).payload(payload).qos(qos).retain(retain).send();
        }
        return client3.publishWith().topic(topic).payload(payload).qos(qos).retain(retain).send();
    }

    void subscribe(String topic, BiConsumer<Object, Throwable> done) {
        if (v5) {
            client5.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send().whenComplete(done);
        } else {
            client3.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send().whenComplete(done);
        }
    }

    void unsubscribe(String topic, BiConsumer<Object, Throwable> done) {
        if (v5) {
            client5.unsubscribeWith().topicFilter(topic).send().whenComplete(done);
        } else {
            client3.unsubscribeWith().topicFilter(topic).send().whenComplete(done);
        }
    }

    /** Stops reconnecting and disconnects (the will is not sent: say {@code offline} before). */
    CompletableFuture<Void> stop() {
        stopped = true;
        CompletableFuture<Void> disconnected = v5 ? client5.disconnect() : client3.disconnect();
        return disconnected.exceptionally(e -> null);
    }

    String lastError() {
        return lastError;
    }

    long lastErrorMillis() {
        return lastErrorMillis;
    }

    long connects() {
        return connects.get();
    }

    long connectionsLost() {
        return connectionsLost.get();
    }

    long backoffMs() {
        return backoffMs;
    }
}
