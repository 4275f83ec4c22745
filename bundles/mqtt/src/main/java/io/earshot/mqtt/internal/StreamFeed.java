package io.earshot.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;

import io.earshot.api.StreamControl;
import io.earshot.api.Streams;

/**
 * Each stream's own topics: its retained {@code status} (sent when it changed and after every
 * connect), its Home Assistant sensors, and the {@code config/set} subscription when commands
 * are on. {@link #sync} takes the streams there are now: a new one is announced, a gone one's
 * retained status and sensors are cleared (empty retained messages), again at the next chance if
 * the broker could not be told at once. Called on one thread ({@code earshot-mqtt}), except
 * {@link #control} and {@link #streams}, which any thread may call.
 */
final class StreamFeed {

    private static final Logger LOG = LoggerFactory.getLogger(StreamFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CLEAR = new byte[0];
    /** Gone streams whose topics are still to be cleared; beyond it the oldest is forgotten. */
    static final int MAX_PENDING_CLEARS = 4 * TrackedStreams.MAX_STREAMS;

    /** Home Assistant's sensors of a stream: id, name, template, unit. */
    static final String[][] SENSORS = {
            {"state", "Stream state", "{{ value_json.state }}", null},
            {"source", "Source", "{{ value_json.source.id }}", null},
            {"rate", "Sample rate", "{{ value_json.config.rate }}", "Hz"},
            {"channels", "Channels", "{{ value_json.config.channels }}", null}};

    /** Where the topics of {@code config/set} are subscribed. */
    interface Subscriber {
        void subscribe(String topic);

        void unsubscribe(String topic);
    }

    /** One stream published: its control, and what its status topic holds. */
    private static final class Published {
        volatile StreamControl control;
        String lastStatus;
        boolean due = true;

        Published(StreamControl control) {
            this.control = control;
        }
    }

    private final Topics topics;
    private final String node;
    private final boolean commands;
    private final boolean homeAssistant;
    private final Outbox outbox;
    private final BooleanSupplier connected;
    private final Subscriber subscriber;
    /** Main first, then by id (main sorts first only by this comparator). */
    private final Map<String, Published> streams = new ConcurrentSkipListMap<>(StreamFeed::mainFirst);
    private final Set<String> toClear = new LinkedHashSet<>();
    private volatile int pendingClears;

    StreamFeed(Topics topics, String node, boolean commands, boolean homeAssistant, Outbox outbox, BooleanSupplier connected,
               Subscriber subscriber) {
        this.topics = topics;
        this.node = node;
        this.commands = commands;
        this.homeAssistant = homeAssistant;
        this.outbox = outbox;
        this.connected = connected;
        this.subscriber = subscriber;
    }

    private static int mainFirst(String a, String b) {
        if (a.equals(b)) return 0;
        if (Streams.MAIN.equals(a)) return -1;
        if (Streams.MAIN.equals(b)) return 1;
        return a.compareTo(b);
    }

    /** The streams there are now (id to control): new ones announced, gone ones cleared. */
    void sync(Map<String, StreamControl> wanted) {
        for (Iterator<Map.Entry<String, Published>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Published> entry = it.next();
            if (!wanted.containsKey(entry.getKey())) {
                it.remove();
                gone(entry.getKey());
            }
        }
        for (Map.Entry<String, StreamControl> entry : wanted.entrySet()) {
            Published known = streams.get(entry.getKey());
            if (known == null) {
                streams.put(entry.getKey(), new Published(entry.getValue()));
                toClear.remove(entry.getKey());
                pendingClears = toClear.size();
                if (connected.getAsBoolean()) announce(entry.getKey());
            } else if (known.control != entry.getValue()) {
                known.control = entry.getValue();
                known.due = true;
            }
        }
    }

    /** A connect (a clean start): every stream's status again, its sensors, its subscription. */
    void connected() {
        for (Map.Entry<String, Published> entry : streams.entrySet()) {
            entry.getValue().due = true;
            announce(entry.getKey());
        }
    }

    private void announce(String stream) {
        if (homeAssistant) discovery(stream);
        if (commands) subscriber.subscribe(topics.configSet(stream));
    }

    private void gone(String stream) {
        if (commands && connected.getAsBoolean()) subscriber.unsubscribe(topics.configSet(stream));
        if (toClear.size() >= MAX_PENDING_CLEARS) {
            Iterator<String> oldest = toClear.iterator();
            LOG.warn("MQTT: {} streams gone with their topics not yet cleared; the retained status of {} stays", MAX_PENDING_CLEARS,
                    oldest.next());
            oldest.remove();
        }
        toClear.add(stream);
        pendingClears = toClear.size();
        clearPending();
    }

    /** The topics of gone streams cleared: retained status and sensors; kept for later while the broker cannot take them. */
    private void clearPending() {
        if (toClear.isEmpty() || !connected.getAsBoolean()) return;
        for (Iterator<String> it = toClear.iterator(); it.hasNext(); ) {
            String stream = it.next();
            boolean sent = outbox.offer(topics.status(stream), CLEAR, MqttQos.AT_LEAST_ONCE, true);
            if (homeAssistant) {
                for (String[] sensor : SENSORS) {
                    sent &= outbox.offer(Topics.discovery(Topics.sensorId(node, stream, sensor[0])), CLEAR, MqttQos.AT_LEAST_ONCE, true);
                }
            }
            if (sent) it.remove();
        }
        pendingClears = toClear.size();
    }

    /**
     * Every stream's status topic, where it changed (or is due after a connect); {@code status}:
     * the hub's status of each stream by id ({@code /api/status} {@code streams}), or null.
     */
    void publish(Map<String, ?> status) {
        clearPending();
        if (!connected.getAsBoolean()) return;
        for (Map.Entry<String, Published> entry : streams.entrySet()) {
            Published stream = entry.getValue();
            try {
                Object own = status == null ? null : status.get(entry.getKey());
                String json = JSON.writeValueAsString(state(entry.getKey(), stream.control, own instanceof Map<?, ?> map ? map : Map.of()));
                if ((stream.due || !json.equals(stream.lastStatus))
                        && outbox.offer(topics.status(entry.getKey()), bytes(json), MqttQos.AT_LEAST_ONCE, true)) {
                    stream.due = false;
                    stream.lastStatus = json;
                }
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.warn("MQTT: the status of stream {} could not be published: {}", entry.getKey(), e.toString());
            }
        }
    }

    /** What a stream's status topic says: its config and source state. */
    Map<String, Object> state(String id, StreamControl control, Map<?, ?> status) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("stream", id);
        Map<?, ?> source = status.get("source") instanceof Map<?, ?> map ? map : Map.of();
        Map<?, ?> capture = status.get("capture") instanceof Map<?, ?> map ? map : Map.of();
        state.put("state", capture.get("state"));
        state.put("last_error", capture.get("last_error"));
        Map<String, Object> src = new LinkedHashMap<>();
        src.put("id", source.containsKey("id") ? source.get("id") : control.sourceId());
        src.put("selected", source.get("selected"));
        src.put("label", source.get("label"));
        state.put("source", src);
        var config = control.current();
        state.put("config", Map.of("buffer_frames", config.bufferFrames(), "rate", config.rate(), "channels", config.channels(),
                "volume", config.volume()));
        var caps = control.capabilities();
        state.put("capabilities", Map.of("possible_rates", caps.rates(), "possible_channel", caps.channels()));
        state.put("commands", commands);
        return state;
    }

    /** Home Assistant MQTT discovery: the board as a device, each stream's sensors on it, reading the stream's status. */
    private void discovery(String stream) {
        Map<String, Object> device = Map.of("identifiers", List.of("earshot_" + Topics.level(node)), "name", "Earshot " + node,
                "manufacturer", "Earshot", "model", "microphone array");
        for (String[] sensor : SENSORS) {
            String id = Topics.sensorId(node, stream, sensor[0]);
            Map<String, Object> config = new LinkedHashMap<>();
            // main's sensors keep the names they had before streams were plural
            config.put("name", Streams.MAIN.equals(stream) ? sensor[1] : sensor[1] + " (" + stream + ")");
            config.put("unique_id", id);
            config.put("state_topic", topics.status(stream));
            config.put("value_template", sensor[2]);
            if (sensor[3] != null) config.put("unit_of_measurement", sensor[3]);
            config.put("availability_topic", topics.availability());
            config.put("device", device);
            try {
                outbox.offer(Topics.discovery(id), JSON.writeValueAsBytes(config), MqttQos.AT_LEAST_ONCE, true);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The control of a stream published, or null. Any thread. */
    StreamControl control(String stream) {
        Published published = stream == null ? null : streams.get(stream);
        return published == null ? null : published.control;
    }

    /** The ids published, main first. Any thread. */
    List<String> streams() {
        return new ArrayList<>(streams.keySet());
    }

    /** How many gone streams' topics wait to be cleared. Any thread. */
    int pendingClears() {
        return pendingClears;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
