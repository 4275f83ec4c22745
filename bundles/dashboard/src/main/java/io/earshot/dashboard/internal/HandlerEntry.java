package io.earshot.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.earshot.api.AudioBuffer;
import io.earshot.api.Handler;
import io.earshot.api.HandlerType;
import io.earshot.api.status.HandlerInfo;

/**
 * A live handler: checks what its plugin sends by its type and offers it to the browsers; keeps
 * what browsers need to draw it, and its last data for browsers that come later.
 */
final class HandlerEntry implements Handler {

    private final String id;
    private final String name;
    private final String type;
    private final Map<String, Object> params;
    private final HandlerType family;
    private final String owner;
    private final long ownerBundleId;
    private final Object ownerKey;
    private final DashboardMessages messages;
    private final Browsers browsers;
    private final DataListeners dataListeners;
    private final Consumer<HandlerEntry> onClose;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastDataJson;
    private volatile boolean closed;

    HandlerEntry(String id, String name, String type, Map<String, Object> params, HandlerType family, String owner,
                 long ownerBundleId, Object ownerKey, DashboardMessages messages, Browsers browsers, DataListeners dataListeners,
                 Consumer<HandlerEntry> onClose) {
        this.id = id;
        this.name = name;
        this.type = type;
        this.params = params;
        this.family = family;
        this.owner = owner;
        this.ownerBundleId = ownerBundleId;
        this.ownerKey = ownerKey;
        this.messages = messages;
        this.browsers = browsers;
        this.dataListeners = dataListeners;
        this.onClose = onClose;
    }

    @Override public String id() { return id; }

    @Override public String name() { return name; }

    @Override public String type() { return type; }

    Map<String, Object> params() { return params; }

    HandlerType family() { return family; }

    Object ownerKey() { return ownerKey; }

    String lastDataJson() { return lastDataJson; }

    boolean isClosed() { return closed; }

    @Override
    public void send(Object data) {
        if (closed) {
            throw new IllegalStateException("handler '" + name + "' (" + id + ") is closed");
        }
        try {
            DashboardMessages.Data checked = messages.data(name, data);
            Optional<String> problem = family.checkData(type, params, checked.value());
            if (problem.isPresent()) {
                throw new IllegalArgumentException("data for '" + name + "' (" + type + "): " + problem.get());
            }
            browsers.data(messages.dataMessage(id, checked.json()));
            lastDataJson = checked.json();
            sent.incrementAndGet();
            if (!dataListeners.isEmpty()) {
                dataListeners.data(info(), checked.json());
            }
        } catch (IllegalArgumentException e) {
            refused.incrementAndGet();
            throw e;
        }
    }

    @Override
    public void sendAudio(AudioBuffer audio) {
        if (closed) {
            throw new IllegalStateException("handler '" + name + "' (" + id + ") is closed");
        }
        if (!family.playsAudio(type)) {
            throw new IllegalArgumentException("handler '" + name + "' is a " + type + ", which does not play audio");
        }
        browsers.binary(messages.audio(id, audio));
        if (!dataListeners.isEmpty()) {
            dataListeners.audio(info(), audio);
        }
        sent.incrementAndGet();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.accept(this);
        }
    }

    /** Marks it closed without calling back: {@link Handlers} is removing it itself. */
    void closedByRegistry() {
        closed = true;
    }

    /** What a browser needs to create it, with the last data when there is some. */
    Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("name", name);
        map.put("type", type);
        map.put("params", params);
        map.put("owner", owner);
        return map;
    }

    HandlerInfo info() {
        return new HandlerInfo(id, name, type, ownerBundleId, owner, sent.get(), refused.get());
    }
}
