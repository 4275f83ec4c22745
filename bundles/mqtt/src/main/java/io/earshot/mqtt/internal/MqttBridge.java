package io.earshot.mqtt.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.TrustManagerFactory;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.StatusContributor;
import io.earshot.api.StreamControl;
import io.earshot.api.Streams;
import io.earshot.api.results.EventPublisher;
import io.earshot.api.results.HandlerDataListener;
import io.earshot.api.status.HandlerInfo;

/**
 * The MQTT side as a component: reads its configuration (off while no broker is set), runs one
 * {@link MqttSession} for it (a changed configuration replaces the session in place, so the
 * plugins' {@link EventPublisher}s stay), follows every stream's {@link StreamControl} (main's
 * from the start, the others as the hub registers them: {@link TrackedStreams}), takes every
 * handler's data from the dashboard and plugins' events, and shows itself in the status under
 * {@code mqtt}.
 */
@Component(service = {MqttBridge.class, HandlerDataListener.class, StatusContributor.class}, configurationPid = MqttBridge.PID)
@Designate(ocd = MqttConfig.class)
public final class MqttBridge implements HandlerDataListener, StatusContributor {

    static final String PID = "io.earshot.mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttBridge.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** main's StreamControl: the one without {@link Streams#PROPERTY} or with {@code main}. */
    static final String MAIN_TARGET = "(|(!(" + Streams.PROPERTY + "=*))(" + Streams.PROPERTY + "=" + Streams.MAIN + "))";
    /** Every other stream's. */
    static final String OTHER_TARGET = "(&(" + Streams.PROPERTY + "=*)(!(" + Streams.PROPERTY + "=" + Streams.MAIN + ")))";

    private final TrackedStreams streams;
    private volatile StatusContributor streamStatus;
    private volatile StatusContributor streamsStatus;
    private volatile MqttSession session;
    private volatile String off = "starting";
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong eventsDropped = new AtomicLong();
    private final AtomicLong eventsRefused = new AtomicLong();

    @Activate
    public MqttBridge(@Reference(target = MAIN_TARGET) StreamControl main, MqttConfig config) {
        this.streams = new TrackedStreams(main);
        configure(config);
    }

    /** The hub's status ("streams", and "stream" for main) gives each source's state for the retained statuses. */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, target = "(!(component.name=io.earshot.mqtt.internal.MqttBridge))")
    void addStatus(StatusContributor contributor) {
        if ("stream".equals(contributor.statusKey())) streamStatus = contributor;
        if ("streams".equals(contributor.statusKey())) streamsStatus = contributor;
    }

    void removeStatus(StatusContributor contributor) {
        if (streamStatus == contributor) streamStatus = null;
        if (streamsStatus == contributor) streamsStatus = null;
    }

    /** Another stream (its id in {@link Streams#PROPERTY}): published from now on, within the limit. */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, target = OTHER_TARGET)
    void addStream(StreamControl control, Map<String, Object> properties) {
        String id = String.valueOf(properties.get(Streams.PROPERTY));
        if (!streams.add(id, control)) {
            if (Streams.isValidId(id)) {
                LOG.warn("MQTT: stream {} waits: {} streams are published (main included), the most this side follows;"
                        + " it is published when one of them goes", id, TrackedStreams.MAX_STREAMS);
            } else {
                LOG.warn("MQTT: a StreamControl with {}={} is not published: not a stream id", Streams.PROPERTY, id);
            }
        }
        streamsChanged();
    }

    /** The stream went: its retained status and sensors are cleared. */
    void removeStream(StreamControl control, Map<String, Object> properties) {
        streams.remove(String.valueOf(properties.get(Streams.PROPERTY)), control);
        streamsChanged();
    }

    private void streamsChanged() {
        MqttSession running = session;
        if (running != null) running.streamsChanged();
    }

    @Modified
    void modified(MqttConfig config) {
        stopSession();
        configure(config);
    }

    @Deactivate
    void deactivate() {
        stopSession();
    }

    private void configure(MqttConfig config) {
        if (config.broker().isBlank()) {
            off = "no broker configured: set broker=tcp://HOST:1883 in conf/io.earshot.mqtt.cfg";
            return;
        }
        MqttSession.Settings settings;
        try {
            settings = settings(config);
        } catch (IllegalArgumentException e) {
            off = e.getMessage();
            LOG.error("MQTT is off: {}", off);
            return;
        }
        MqttSession started = new MqttSession(settings, streams::snapshot, this::streamsStatus);
        started.start();
        session = started;
        off = null;
    }

    private void stopSession() {
        MqttSession running = session;
        session = null;
        if (running != null) running.stop();
    }

    /** The hub's status of each stream by id: its {@code streams}, else main's alone from {@code stream}; null without either. */
    @SuppressWarnings("unchecked")
    private Map<String, ?> streamsStatus() {
        StatusContributor all = streamsStatus;
        if (all != null && all.status() instanceof Map<?, ?> map) return (Map<String, ?>) map;
        StatusContributor main = streamStatus;
        return main != null && main.status() instanceof Map<?, ?> map ? Map.of(Streams.MAIN, map) : null;
    }

    static MqttSession.Settings settings(MqttConfig config) {
        BrokerAddress broker = BrokerAddress.parse(config.broker());
        if (config.mqttVersion() != 5 && config.mqttVersion() != 3) {
            throw new IllegalArgumentException("mqttVersion must be 5 or 3 (3.1.1), got " + config.mqttVersion());
        }
        if (config.handlerRateHz() < 1 || config.handlerRateHz() > 1000) {
            throw new IllegalArgumentException("handlerRateHz must be 1..1000, got " + config.handlerRateHz());
        }
        if (config.queueSize() < 1 || config.queueSize() > 65536) {
            throw new IllegalArgumentException("queueSize must be 1..65536, got " + config.queueSize());
        }
        if (config.keepAliveSeconds() < 1 || config.keepAliveSeconds() > 65535) {
            throw new IllegalArgumentException("keepAliveSeconds must be 1..65535, got " + config.keepAliveSeconds());
        }
        String node = config.node().isBlank() ? hostName() : config.node().trim();
        String prefix = config.prefix().isBlank() ? "earshot/" + Topics.level(node) : Topics.checkPrefix(config.prefix().trim());
        String clientId = config.clientId().isBlank() ? "earshot-" + Topics.level(node) : config.clientId().trim();
        TrustManagerFactory trust = null;
        if (!config.trustStore().isBlank()) {
            if (!broker.tls()) {
                throw new IllegalArgumentException("trustStore is set but broker " + broker + " is not ssl://");
            }
            trust = trust(Path.of(config.trustStore().trim()), config.trustStorePassword());
        }
        return new MqttSession.Settings(broker, config.mqttVersion(), clientId, config.username(), config.password(), trust,
                node, prefix, config.handlerRateHz(), config.queueSize(), config.commands(), config.homeAssistant(),
                config.keepAliveSeconds());
    }

    private static TrustManagerFactory trust(Path file, String password) {
        char[] secret = password.isEmpty() ? null : password.toCharArray();
        for (String type : new String[] {"PKCS12", "JKS"}) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance(type);
                store.load(in, secret);
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                return factory;
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("trustStore " + file + " does not exist");
            } catch (Exception e) {
                if (type.equals("JKS")) {
                    throw new IllegalArgumentException("trustStore " + file + " could not be read as PKCS12 or JKS: " + e.getMessage());
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "earshot";
        }
    }

    @Override
    public void data(HandlerInfo handler, String json) {
        MqttSession running = session;
        if (running != null) running.handlerData(handler.name(), handler.id(), json);
    }

    @Override
    public void removed(HandlerInfo handler) {
        MqttSession running = session;
        if (running != null) running.handlerRemoved(handler.name(), handler.id());
    }

    /** A plugin's event: checked and encoded on its thread, then offered without waiting. */
    boolean event(String plugin, String topic, Object data) {
        byte[] json;
        try {
            Topics.checkEventTopic(topic);
            json = JSON.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            eventsRefused.incrementAndGet();
            throw new IllegalArgumentException("event data for '" + topic + "' cannot be JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            eventsRefused.incrementAndGet();
            throw e;
        }
        if (json.length > EventPublisher.MAX_EVENT_BYTES) {
            eventsRefused.incrementAndGet();
            throw new IllegalArgumentException("event '" + topic + "' is " + json.length + " bytes of JSON; the limit is "
                    + EventPublisher.MAX_EVENT_BYTES);
        }
        MqttSession running = session;
        boolean sent = running != null && running.event(plugin, topic, json);
        (sent ? events : eventsDropped).incrementAndGet();
        return sent;
    }

    @Override
    public String statusKey() {
        return "mqtt";
    }

    @Override
    public Object status() {
        MqttSession running = session;
        Map<String, Object> status = new LinkedHashMap<>();
        if (running == null) {
            status.put("enabled", false);
            status.put("reason", off);
        } else {
            status.putAll(running.status());
        }
        status.put("events", Map.of("sent", events.get(), "dropped", eventsDropped.get(), "refused", eventsRefused.get()));
        List<String> waiting = streams.waiting();
        if (!waiting.isEmpty()) status.put("streams_over_limit", waiting);
        status.put("limits", Map.of("handler_topics", HandlerFeed.MAX_TOPICS, "pending_commands", MqttSession.MAX_PENDING_COMMANDS,
                "event_bytes", EventPublisher.MAX_EVENT_BYTES, "event_topic_chars", EventPublisher.MAX_TOPIC_CHARS,
                "streams", TrackedStreams.MAX_STREAMS));
        return status;
    }
}
