package io.earshot.dashboard.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.HandlerType;

/** The installed handler types by name; one {@link HandlerType} service may offer several. */
final class HandlerTypes {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerTypes.class);

    private final Map<String, HandlerType> byName = new ConcurrentHashMap<>();

    void add(HandlerType family) {
        for (String type : family.types()) {
            HandlerType previous = byName.put(type, family);
            if (previous != null && previous != family) {
                LOG.warn("Handler type {} is offered twice; the newer one is used", type);
            }
        }
    }

    void remove(HandlerType family) {
        byName.values().removeIf(f -> f == family);
    }

    /** The service that checks and renders {@code type}, or null when none is installed. */
    HandlerType family(String type) {
        return type == null ? null : byName.get(type);
    }

    SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** What a browser needs of each type: its renderer module and whether it plays audio. */
    List<Map<String, Object>> describe() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<String, HandlerType> e : new TreeMap<>(byName).entrySet()) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("type", e.getKey());
            type.put("renderer", e.getValue().rendererPath());
            type.put("audio", e.getValue().playsAudio(e.getKey()));
            list.add(type);
        }
        return list;
    }
}
