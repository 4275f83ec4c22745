package io.earshot.dashboard.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.AudioBuffer;
import io.earshot.api.HandlerType;
import io.earshot.api.StatusContributor;

/**
 * The handlers of every plugin, the installed handler types (whiteboard), and the browser
 * sessions that show them. Everything a plugin sends is checked by its type, encoded to JSON
 * once, and offered to each session's bounded queue; nothing here waits for a browser.
 */
@Component(service = {HandlerRegistry.class, StatusContributor.class})
// what renderers share (ticks, number labels, the colour map): /handlers/common/scale.js
@HttpWhiteboardResource(pattern = "/handlers/common/*", prefix = "/handlers/common")
public final class HandlerRegistry implements StatusContributor {

    static final int MAX_HANDLERS = 512;
    static final int MAX_HANDLERS_PER_OWNER = 64;
    static final int MAX_NAME_CHARS = 200;
    static final int MAX_PARAMS_BYTES = 64 * 1024;
    static final int MAX_DATA_BYTES = 1024 * 1024;
    static final int MAX_AUDIO_SAMPLES = 48 * 96_000;

    private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, HandlerType> types = new ConcurrentHashMap<>();
    private final Map<String, HandlerEntry> handlers = new ConcurrentHashMap<>();
    private final Set<UiSession> sessions = new CopyOnWriteArraySet<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong refusedCreates = new AtomicLong();
    private volatile ConsoleFeed console;

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
    void addType(HandlerType family) {
        for (String type : family.types()) {
            HandlerType previous = types.put(type, family);
            if (previous != null && previous != family) {
                LOG.warn("Handler type {} is offered twice; the newer one is used", type);
            }
        }
        broadcastTypes();
    }

    void removeType(HandlerType family) {
        types.values().removeIf(f -> f == family);
        for (HandlerEntry entry : handlers.values()) {
            if (entry.family() == family) {
                removeEntry(entry);
            }
        }
        broadcastTypes();
    }

    /** Creates a handler owned by {@code ownerKey}; refuses with what was wrong and what is allowed. */
    synchronized HandlerEntry create(Object ownerKey, String owner, String name, String type, Map<String, ?> rawParams) {
        try {
            if (name == null || name.isBlank() || name.length() > MAX_NAME_CHARS) {
                throw new IllegalArgumentException("a handler needs a name of 1.." + MAX_NAME_CHARS + " characters");
            }
            HandlerType family = type == null ? null : types.get(type);
            if (family == null) {
                throw new IllegalArgumentException("unknown handler type '" + type + "'; installed: " + new java.util.TreeSet<>(types.keySet()));
            }
            if (handlers.size() >= MAX_HANDLERS) {
                throw new IllegalArgumentException("the runtime already has " + MAX_HANDLERS + " handlers, the most it keeps");
            }
            long owned = handlers.values().stream().filter(h -> h.ownerKey() == ownerKey).count();
            if (owned >= MAX_HANDLERS_PER_OWNER) {
                throw new IllegalArgumentException(owner + " already has " + MAX_HANDLERS_PER_OWNER + " handlers, the most one plugin may have");
            }
            Map<String, Object> params = normalizeParams(rawParams);
            Optional<String> problem = family.checkParams(type, params);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("handler '" + name + "' (" + type + "): " + problem.get());
            }
            String id = "h" + nextId.getAndIncrement();
            HandlerEntry entry = new HandlerEntry(this, id, name, type, params, family, owner, ownerKey);
            handlers.put(id, entry);
            broadcast(Map.of("add", entry.describe()));
            return entry;
        } catch (IllegalArgumentException e) {
            refusedCreates.incrementAndGet();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> normalizeParams(Map<String, ?> raw) {
        if (raw == null) {
            return Map.of();
        }
        byte[] bytes = encode(raw, "parameters");
        if (bytes.length > MAX_PARAMS_BYTES) {
            throw new IllegalArgumentException("parameters take " + bytes.length + " bytes as JSON; allowed: at most " + MAX_PARAMS_BYTES);
        }
        try {
            return json.readValue(bytes, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("parameters cannot be read back as JSON: " + e.getMessage());
        }
    }

    private byte[] encode(Object value, String what) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** Checks and broadcasts; returns the data's JSON, kept as the handler's last state. */
    String send(HandlerEntry entry, Object data) {
        Object normalized;
        String dataJson;
        try {
            // the plain-JSON form the type checks, built without printing and parsing text
            normalized = json.convertValue(data, Object.class);
            dataJson = json.writeValueAsString(normalized);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new IllegalArgumentException("data for '" + entry.name() + "' cannot be written as JSON: " + e.getMessage());
        }
        if (dataJson.length() > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("data for '" + entry.name() + "' takes " + dataJson.length()
                    + " characters as JSON; allowed: at most " + MAX_DATA_BYTES);
        }
        Optional<String> problem = entry.family().checkData(entry.type(), entry.params(), normalized);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("data for '" + entry.name() + "' (" + entry.type() + "): " + problem.get());
        }
        String message = "{\"data\":{\"id\":\"" + entry.id() + "\",\"data\":" + dataJson + "}}";
        for (UiSession session : sessions) {
            session.offerData(message);
        }
        return dataJson;
    }

    /**
     * Binary message: "EA01", int32 id length, id (UTF-8), int32 rate, int32 channels, then the
     * samples (S16LE interleaved), all little-endian.
     */
    void sendAudio(HandlerEntry entry, AudioBuffer audio) {
        if (audio.config().samplesPerBuffer() > MAX_AUDIO_SAMPLES) {
            throw new IllegalArgumentException("audio buffers of at most " + MAX_AUDIO_SAMPLES + " samples can be sent");
        }
        byte[] id = entry.id().getBytes(StandardCharsets.UTF_8);
        ByteBuffer message = ByteBuffer.allocate(4 + 4 + id.length + 8 + audio.config().bytesPerBuffer())
                .order(ByteOrder.LITTLE_ENDIAN);
        message.put((byte) 'E').put((byte) 'A').put((byte) '0').put((byte) '1');
        message.putInt(id.length).put(id).putInt(audio.config().rate()).putInt(audio.channels());
        audio.writeLittleEndian(message);
        message.flip();
        ByteBuffer shared = message.asReadOnlyBuffer();
        for (UiSession session : sessions) {
            session.offerBinary(shared.duplicate());
        }
    }

    void remove(HandlerEntry entry) {
        if (handlers.remove(entry.id(), entry)) {
            broadcast(Map.of("remove", entry.id()));
        }
    }

    private void removeEntry(HandlerEntry entry) {
        entry.closedByRegistry();
        remove(entry);
    }

    /** Removes every handler of {@code ownerKey} (its bundle stopped). */
    void removeOwnedBy(Object ownerKey) {
        for (HandlerEntry entry : handlers.values()) {
            if (entry.ownerKey() == ownerKey) {
                removeEntry(entry);
            }
        }
    }

    void console(ConsoleFeed feed) {
        console = feed;
    }

    /** A message every browser may lose when it is behind (console lines). */
    void broadcastData(String message) {
        for (UiSession session : sessions) {
            session.offerData(message);
        }
    }

    /** A new browser: the console so far, the types, every handler with its last data, then live updates. */
    void join(UiSession session) {
        sessions.add(session);
        ConsoleFeed feed = console;
        if (feed != null) {
            for (String line : feed.recent()) {
                session.offerData(line);
            }
        }
        session.offerControl(typesMessage());
        List<Map<String, Object>> all = new ArrayList<>();
        for (HandlerEntry entry : handlers.values()) {
            all.add(entry.describe());
        }
        session.offerControl(text(Map.of("handlers", all)));
        for (HandlerEntry entry : handlers.values()) {
            String last = entry.lastDataJson();
            if (last != null) {
                session.offerData("{\"data\":{\"id\":\"" + entry.id() + "\",\"data\":" + last + "}}");
            }
        }
    }

    void leave(UiSession session) {
        sessions.remove(session);
    }

    int sessionCount() {
        return sessions.size();
    }

    private String typesMessage() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<String, HandlerType> e : new java.util.TreeMap<>(types).entrySet()) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("type", e.getKey());
            type.put("renderer", e.getValue().rendererPath());
            type.put("audio", e.getValue().playsAudio(e.getKey()));
            list.add(type);
        }
        return text(Map.of("types", list));
    }

    private void broadcastTypes() {
        String message = typesMessage();
        for (UiSession session : sessions) {
            session.offerControl(message);
        }
    }

    private void broadcast(Object message) {
        String text = text(message);
        for (UiSession session : sessions) {
            session.offerControl(text);
        }
    }

    private String text(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String statusKey() {
        return "dashboard";
    }

    @Override
    public Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("types", new java.util.TreeSet<>(types.keySet()));
        List<Map<String, Object>> list = new ArrayList<>();
        for (HandlerEntry entry : handlers.values()) {
            list.add(entry.status());
        }
        status.put("handlers", list);
        status.put("refused_creates", refusedCreates.get());
        List<Map<String, Object>> browsers = new ArrayList<>();
        for (UiSession session : sessions) {
            browsers.add(session.status());
        }
        status.put("browsers", browsers);
        status.put("limits", Map.of("handlers", MAX_HANDLERS, "handlers_per_plugin", MAX_HANDLERS_PER_OWNER,
                "data_bytes", MAX_DATA_BYTES, "browser_queue", UiSession.MAX_QUEUED_DATA));
        return status;
    }
}
