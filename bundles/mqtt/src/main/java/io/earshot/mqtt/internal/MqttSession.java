package io.earshot.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;

import io.earshot.api.StreamControl;
import io.earshot.config.messages.ConfigMessages;

/**
 * What one configuration of the MQTT side runs: the link, its outbox, the handler feed, the
 * retained status (checked each second, sent when it changed and at every connect), Home
 * Assistant's discovery, and config/set when commands are on. One thread of its own
 * ({@code earshot-mqtt}) for the timers; the client's event loop for the rest.
 */
final class MqttSession implements MqttLink.Events {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** config/set requests waiting for their answer at once; more are refused at once. */
    static final int MAX_PENDING_COMMANDS = 16;
    /** Largest config/set payload read, in bytes (the rules take 4096 characters). */
    static final int MAX_COMMAND_BYTES = 4 * ConfigMessages.MAX_MESSAGE_CHARS;

    final Settings settings;
    final Topics topics;
    private final MqttLink link;
    private final Outbox outbox;
    private final HandlerFeed feed;
    private final ScheduledExecutorService timer;
    private final StreamControl stream;
    private final Supplier<Map<String, Object>> streamStatus;
    private final AtomicBoolean statusDue = new AtomicBoolean(true);
    private final AtomicInteger pendingCommands = new AtomicInteger();
    private final AtomicLong commandsAnswered = new AtomicLong();
    private final AtomicLong commandsRefused = new AtomicLong();
    private volatile String lastStatus;

    /** A configuration read and checked. */
    record Settings(BrokerAddress broker, int mqttVersion, String clientId, String username, String password,
                    TrustManagerFactory trust, String node, String prefix, int handlerRateHz, int queueSize, boolean commands,
                    boolean homeAssistant, int keepAliveSeconds) {
    }

    MqttSession(Settings settings, StreamControl stream, Supplier<Map<String, Object>> streamStatus) {
        this.settings = settings;
        this.topics = new Topics(settings.prefix(), Topics.STREAM);
        this.stream = stream;
        this.streamStatus = streamStatus;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "earshot-mqtt");
            t.setDaemon(true);
            return t;
        });
        this.link = new MqttLink(settings.broker(), settings.mqttVersion(), settings.clientId(), settings.trust(), settings.username(),
                settings.password(), topics.availability(), this);
        this.outbox = new Outbox(link, settings.queueSize());
        this.feed = new HandlerFeed(outbox, timer, settings.handlerRateHz());
    }

    void start() {
        link.start(settings.keepAliveSeconds());
        timer.scheduleWithFixedDelay(this::publishStatus, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void connected() {
        LOG.info("MQTT: connected to {} as {}, topics under {}", settings.broker(), settings.clientId(), settings.prefix());
        outbox.offer(topics.availability(), bytes("online"), MqttQos.AT_LEAST_ONCE, true);
        statusDue.set(true);
        timer.execute(this::publishStatus);
        if (settings.homeAssistant()) {
            discovery();
        }
        if (settings.commands()) {
            link.subscribe(topics.configSet(), (ack, e) -> {
                if (e != null) LOG.warn("MQTT: could not subscribe to {}: {}", topics.configSet(), e.toString());
            });
        }
    }

    @Override
    public void message(String topic, byte[] payload) {
        if (!settings.commands() || !topic.equals(topics.configSet())) {
            return;
        }
        if (payload.length > MAX_COMMAND_BYTES) {
            refuseCommand("message of " + payload.length + " bytes is too long; the limit is " + ConfigMessages.MAX_MESSAGE_CHARS + " characters");
            return;
        }
        if (pendingCommands.incrementAndGet() > MAX_PENDING_COMMANDS) {
            pendingCommands.decrementAndGet();
            refuseCommand("already " + MAX_PENDING_COMMANDS + " config changes waiting for their answer; send again after an answer");
            return;
        }
        // the same rules as /ws/config; who may send is the broker's access control
        ConfigMessages.Checked checked = ConfigMessages.check(new String(payload, StandardCharsets.UTF_8), stream.current());
        ConfigMessages.answer(stream, checked).whenComplete((answer, e) -> {
            pendingCommands.decrementAndGet();
            commandsAnswered.incrementAndGet();
            String reply = e != null ? ConfigMessages.refused(stream, "the change failed: " + e).toCompletableFuture().join() : answer;
            if (reply.startsWith("{\"ok\":false")) commandsRefused.incrementAndGet();
            outbox.offer(topics.configResult(), bytes(reply), MqttQos.AT_LEAST_ONCE, false);
        });
    }

    private void refuseCommand(String reason) {
        commandsAnswered.incrementAndGet();
        commandsRefused.incrementAndGet();
        ConfigMessages.refused(stream, reason)
                .thenAccept(reply -> outbox.offer(topics.configResult(), bytes(reply), MqttQos.AT_LEAST_ONCE, false));
    }

    /** The stream's config and source state, retained; sent again only when it changed (or after a connect). */
    private void publishStatus() {
        try {
            String json = JSON.writeValueAsString(streamState());
            if ((statusDue.get() || !json.equals(lastStatus)) && link.connected()
                    && outbox.offer(topics.status(), bytes(json), MqttQos.AT_LEAST_ONCE, true)) {
                statusDue.set(false);
                lastStatus = json;
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("MQTT: the stream's status could not be published: {}", e.toString());
        }
    }

    private Map<String, Object> streamState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("stream", Topics.STREAM);
        Map<String, Object> status = streamStatus.get();
        Map<?, ?> source = status == null ? Map.of() : (Map<?, ?>) status.getOrDefault("source", Map.of());
        Map<?, ?> capture = status == null ? Map.of() : (Map<?, ?>) status.getOrDefault("capture", Map.of());
        state.put("state", capture.get("state"));
        state.put("last_error", capture.get("last_error"));
        Map<String, Object> src = new LinkedHashMap<>();
        src.put("id", source.containsKey("id") ? source.get("id") : stream.sourceId());
        src.put("selected", source.get("selected"));
        src.put("label", source.get("label"));
        state.put("source", src);
        var config = stream.current();
        state.put("config", Map.of("buffer_frames", config.bufferFrames(), "rate", config.rate(), "channels", config.channels(),
                "volume", config.volume()));
        var caps = stream.capabilities();
        state.put("capabilities", Map.of("possible_rates", caps.rates(), "possible_channel", caps.channels()));
        state.put("commands", settings.commands());
        return state;
    }

    /** Home Assistant MQTT discovery: the board as a device with a few sensors, no configuration needed there. */
    private void discovery() {
        String node = Topics.level(settings.node());
        Map<String, Object> device = Map.of("identifiers", List.of("earshot_" + node), "name", "Earshot " + settings.node(),
                "manufacturer", "Earshot", "model", "microphone array");
        String[][] sensors = {
                {"state", "Stream state", "{{ value_json.state }}", null},
                {"source", "Source", "{{ value_json.source.id }}", null},
                {"rate", "Sample rate", "{{ value_json.config.rate }}", "Hz"},
                {"channels", "Channels", "{{ value_json.config.channels }}", null}};
        for (String[] sensor : sensors) {
            String id = "earshot_" + node + "_" + Topics.STREAM + "_" + sensor[0];
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("name", sensor[1]);
            config.put("unique_id", id);
            config.put("state_topic", topics.status());
            config.put("value_template", sensor[2]);
            if (sensor[3] != null) config.put("unit_of_measurement", sensor[3]);
            config.put("availability_topic", topics.availability());
            config.put("device", device);
            try {
                outbox.offer("homeassistant/sensor/" + id + "/config", JSON.writeValueAsBytes(config), MqttQos.AT_LEAST_ONCE, true);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
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
        return status;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
