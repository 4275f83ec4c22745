package io.earshot.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hivemq.client.mqtt.datatypes.MqttQos;

import io.earshot.api.StreamControl;
import io.earshot.config.messages.ConfigMessages;

/**
 * What one configuration of the MQTT side runs: the link, its outbox, the handler feed, each
 * stream's retained status, Home Assistant's discovery and config/set when commands are on
 * ({@link StreamFeed}: the streams checked each second, the statuses sent when they changed and at
 * every connect). One thread of its own ({@code earshot-mqtt}) for the timers and the streams'
 * topics; the client's event loop for the rest.
 */
final class MqttSession implements MqttLink.Events {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);
    /** config/set requests waiting for their answer at once, all streams together; more are refused at once. */
    static final int MAX_PENDING_COMMANDS = 16;
    /** Largest config/set payload read, in bytes (the rules take 4096 characters). */
    static final int MAX_COMMAND_BYTES = 4 * ConfigMessages.MAX_MESSAGE_CHARS;

    final Settings settings;
    final Topics topics;
    private final MqttLink link;
    private final Outbox outbox;
    private final HandlerFeed feed;
    private final StreamFeed streamFeed;
    private final ScheduledExecutorService timer;
    private final Supplier<Map<String, StreamControl>> streams;
    private final Supplier<Map<String, ?>> streamsStatus;
    private final AtomicInteger pendingCommands = new AtomicInteger();
    private final AtomicLong commandsAnswered = new AtomicLong();
    private final AtomicLong commandsRefused = new AtomicLong();

    /** A configuration read and checked. */
    record Settings(BrokerAddress broker, int mqttVersion, String clientId, String username, String password,
                    TrustManagerFactory trust, String node, String prefix, int handlerRateHz, int queueSize, boolean commands,
                    boolean homeAssistant, int keepAliveSeconds) {
    }

    /**
     * @param streams       the streams to publish now, main first (asked each second)
     * @param streamsStatus the hub's status of each stream by id, or null
     */
    MqttSession(Settings settings, Supplier<Map<String, StreamControl>> streams, Supplier<Map<String, ?>> streamsStatus) {
        this.settings = settings;
        this.topics = new Topics(settings.prefix());
        this.streams = streams;
        this.streamsStatus = streamsStatus;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "earshot-mqtt");
            t.setDaemon(true);
            return t;
        });
        this.link = new MqttLink(settings.broker(), settings.mqttVersion(), settings.clientId(), settings.trust(), settings.username(),
                settings.password(), topics.availability(), this);
        this.outbox = new Outbox(link, settings.queueSize());
        this.feed = new HandlerFeed(outbox, timer, settings.handlerRateHz());
        this.streamFeed = new StreamFeed(topics, settings.node(), settings.commands(), settings.homeAssistant(), outbox, link::connected,
                new StreamFeed.Subscriber() {
                    @Override
                    public void subscribe(String topic) {
                        link.subscribe(topic, (ack, e) -> {
                            if (e != null) LOG.warn("MQTT: could not subscribe to {}: {}", topic, e.toString());
                        });
                    }

                    @Override
                    public void unsubscribe(String topic) {
                        link.unsubscribe(topic, (ack, e) -> {
                            if (e != null) LOG.info("MQTT: could not unsubscribe from {}: {}", topic, e.toString());
                        });
                    }
                });
    }

    void start() {
        link.start(settings.keepAliveSeconds());
        timer.scheduleWithFixedDelay(this::publishStatus, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void connected() {
        LOG.info("MQTT: connected to {} as {}, topics under {}", settings.broker(), settings.clientId(), settings.prefix());
        outbox.offer(topics.availability(), bytes("online"), MqttQos.AT_LEAST_ONCE, true);
        onTimer(() -> {
            try {
                streamFeed.sync(streams.get());
                streamFeed.connected();
            } catch (RuntimeException e) {
                LOG.warn("MQTT: the streams could not be announced: {}", e.toString());
            }
            publishStatus();
        });
    }

    /** The streams changed: their topics follow now rather than at the next second. */
    void streamsChanged() {
        onTimer(this::publishStatus);
    }

    private void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the session is stopping
        }
    }

    @Override
    public void message(String topic, byte[] payload) {
        if (!settings.commands()) {
            return;
        }
        String id = topics.configSetStream(topic);
        StreamControl stream = streamFeed.control(id);
        if (stream == null) {
            return; // a stream gone meanwhile
        }
        String resultTopic = topics.configResult(id);
        if (payload.length > MAX_COMMAND_BYTES) {
            refuseCommand(stream, resultTopic, "message of " + payload.length + " bytes is too long; the limit is "
                    + ConfigMessages.MAX_MESSAGE_CHARS + " characters");
            return;
        }
        if (pendingCommands.incrementAndGet() > MAX_PENDING_COMMANDS) {
            pendingCommands.decrementAndGet();
            refuseCommand(stream, resultTopic, "already " + MAX_PENDING_COMMANDS
                    + " config changes waiting for their answer; send again after an answer");
            return;
        }
        // the same rules as /ws/config; who may send is the broker's access control
        ConfigMessages.Checked checked = ConfigMessages.check(new String(payload, StandardCharsets.UTF_8), stream.current());
        ConfigMessages.answer(stream, checked).whenComplete((answer, e) -> {
            pendingCommands.decrementAndGet();
            commandsAnswered.incrementAndGet();
            String reply = e != null ? ConfigMessages.refused(stream, "the change failed: " + e).toCompletableFuture().join() : answer;
            if (reply.startsWith("{\"ok\":false")) commandsRefused.incrementAndGet();
            outbox.offer(resultTopic, bytes(reply), MqttQos.AT_LEAST_ONCE, false);
        });
    }

    private void refuseCommand(StreamControl stream, String resultTopic, String reason) {
        commandsAnswered.incrementAndGet();
        commandsRefused.incrementAndGet();
        ConfigMessages.refused(stream, reason)
                .thenAccept(reply -> outbox.offer(resultTopic, bytes(reply), MqttQos.AT_LEAST_ONCE, false));
    }

    /** The streams followed (new ones announced, gone ones cleared), then each one's status where it changed. */
    private void publishStatus() {
        try {
            streamFeed.sync(streams.get());
            streamFeed.publish(streamsStatus.get());
        } catch (RuntimeException e) {
            LOG.warn("MQTT: the streams' status could not be published: {}", e.toString());
        }
    }

    void handlerData(String name, String handlerId, String json) {
        feed.data(topics.handler(name), handlerId, json);
    }

    void handlerRemoved(String name, String handlerId) {
        feed.removed(topics.handler(name), handlerId);
    }

    boolean event(String plugin, String topic, byte[] json) {
        return outbox.offer(topics.event(plugin, topic), json, MqttQos.AT_LEAST_ONCE, false);
    }

    /** Says offline (the will is only for a lost connection), disconnects, and ends its thread. */
    void stop() {
        try {
            if (link.connected()) {
                link.publish(topics.availability(), bytes("offline"), MqttQos.AT_LEAST_ONCE, true).get(2, TimeUnit.SECONDS);
            }
            link.stop().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.info("MQTT: disconnect from {} not confirmed: {}", settings.broker(), e.toString());
        } finally {
            timer.shutdownNow();
        }
    }

    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("enabled", true);
        status.put("broker", settings.broker().toString());
        status.put("mqtt_version", settings.mqttVersion() == 5 ? "5" : "3.1.1");
        status.put("client_id", settings.clientId());
        status.put("prefix", settings.prefix());
        status.put("connected", link.connected());
        status.put("connects", link.connects());
        status.put("connections_lost", link.connectionsLost());
        status.put("last_error", link.lastError());
        status.put("last_error_at", link.lastErrorMillis() == 0 ? null : java.time.Instant.ofEpochMilli(link.lastErrorMillis()).toString());
        status.put("backoff_ms", link.connected() ? null : link.backoffMs());
        status.putAll(outbox.status());
        status.put("handler_topics", feed.topics());
        status.put("coalesced", feed.coalesced());
        status.put("dropped_topics", feed.droppedTopics());
        status.put("handler_rate_hz", settings.handlerRateHz());
        status.put("commands", settings.commands());
        if (settings.commands()) {
            status.put("commands_answered", commandsAnswered.get());
            status.put("commands_refused", commandsRefused.get());
        }
        status.put("home_assistant", settings.homeAssistant());
        status.put("streams", streamFeed.streams());
        status.put("streams_to_clear", streamFeed.pendingClears());
        return status;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
