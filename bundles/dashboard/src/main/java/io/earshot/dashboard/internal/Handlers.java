package io.earshot.dashboard.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import io.earshot.api.HandlerType;
import io.earshot.api.StatusContributor;
import io.earshot.api.results.HandlerDataListener;
import io.earshot.api.status.HandlerDirectory;
import io.earshot.api.status.HandlerInfo;

/**
 * The handlers of every plugin, within their limits, and the installed handler types
 * (whiteboard): a handler is created only for an installed type that accepts its parameters,
 * and goes when its plugin or its type does. Browsers learn of every change.
 */
@Component(service = {Handlers.class, HandlerDirectory.class, StatusContributor.class})
// what renderers share (ticks, number labels, the colour map): /handlers/common/scale.js
@HttpWhiteboardResource(pattern = "/handlers/common/*", prefix = "/handlers/common")
public final class Handlers implements HandlerDirectory, StatusContributor {

    static final int MAX_HANDLERS = 512;
    static final int MAX_HANDLERS_PER_OWNER = 64;
    static final int MAX_NAME_CHARS = 200;

    private final Browsers browsers;
    private final DashboardMessages messages = new DashboardMessages();
    private final HandlerTypes types = new HandlerTypes();
    private final DataListeners dataListeners = new DataListeners();
    private final Map<String, HandlerEntry> handlers = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong refusedCreates = new AtomicLong();

    @Activate
    public Handlers(@Reference Browsers browsers) {
        this.browsers = browsers;
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
    void addType(HandlerType family) {
        types.add(family);
        browsers.control(messages.types(types.describe()));
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
    void addDataListener(HandlerDataListener listener) {
        dataListeners.add(listener);
    }

    void removeDataListener(HandlerDataListener listener) {
        dataListeners.remove(listener);
    }

    void removeType(HandlerType family) {
        types.remove(family);
        for (HandlerEntry entry : handlers.values()) {
            if (entry.family() == family) {
                removeEntry(entry);
            }
        }
        browsers.control(messages.types(types.describe()));
    }

    /** Creates a handler owned by {@code ownerKey}; refuses with what was wrong and what is allowed. */
    synchronized HandlerEntry create(Object ownerKey, long ownerBundleId, String owner, String name, String type, Map<String, ?> rawParams) {
        try {
            if (name == null || name.isBlank() || name.length() > MAX_NAME_CHARS) {
                throw new IllegalArgumentException("a handler needs a name of 1.." + MAX_NAME_CHARS + " characters");
            }
            HandlerType family = types.family(type);
            if (family == null) {
                throw new IllegalArgumentException("unknown handler type '" + type + "'; installed: " + types.names());
            }
            if (handlers.size() >= MAX_HANDLERS) {
                throw new IllegalArgumentException("the runtime already has " + MAX_HANDLERS + " handlers, the most it keeps");
            }
            long owned = handlers.values().stream().filter(h -> h.ownerKey() == ownerKey).count();
            if (owned >= MAX_HANDLERS_PER_OWNER) {
                throw new IllegalArgumentException(owner + " already has " + MAX_HANDLERS_PER_OWNER + " handlers, the most one plugin may have");
            }
            Map<String, Object> params = messages.params(rawParams);
            Optional<String> problem = family.checkParams(type, params);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("handler '" + name + "' (" + type + "): " + problem.get());
            }
            String id = "h" + nextId.getAndIncrement();
            HandlerEntry entry = new HandlerEntry(id, name, type, params, family, owner, ownerBundleId, ownerKey, messages, browsers,
                    dataListeners, this::remove);
            handlers.put(id, entry);
            browsers.control(messages.add(entry.describe()));
            return entry;
        } catch (IllegalArgumentException e) {
            refusedCreates.incrementAndGet();
            throw e;
        }
    }

    private void remove(HandlerEntry entry) {
        if (handlers.remove(entry.id(), entry)) {
            browsers.control(messages.remove(entry.id()));
            dataListeners.removed(entry.info());
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

    /** What a browser that just came needs: the types, every handler, then each one's last data. */
    void replayTo(UiSession session) {
        session.offerControl(messages.types(types.describe()));
        List<Map<String, Object>> all = new ArrayList<>();
        for (HandlerEntry entry : handlers.values()) {
            all.add(entry.describe());
        }
        session.offerControl(messages.handlers(all));
        for (HandlerEntry entry : handlers.values()) {
            String last = entry.lastDataJson();
            if (last != null) {
                session.offerData(messages.dataMessage(entry.id(), last));
            }
        }
    }

    @Override
    public List<HandlerInfo> handlers() {
        List<HandlerInfo> list = new ArrayList<>();
        for (HandlerEntry entry : handlers.values()) {
            list.add(entry.info());
        }
        return list;
    }

    @Override
    public String statusKey() {
        return "dashboard";
    }

    @Override
    public Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("types", types.names());
        List<Map<String, Object>> list = new ArrayList<>();
        for (HandlerInfo handler : handlers()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", handler.id());
            map.put("name", handler.name());
            map.put("type", handler.type());
            map.put("owner", handler.owner());
            map.put("sent", handler.sent());
            map.put("refused", handler.refused());
            list.add(map);
        }
        status.put("handlers", list);
        status.put("refused_creates", refusedCreates.get());
        status.put("browsers", browsers.status());
        status.put("data_listeners", dataListeners.status());
        status.put("limits", Map.of("handlers", MAX_HANDLERS, "handlers_per_plugin", MAX_HANDLERS_PER_OWNER,
                "data_bytes", DashboardMessages.MAX_DATA_BYTES, "browser_queue", UiSession.MAX_QUEUED_DATA));
        return status;
    }
}
