package io.earshot.hub.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.StatusContributor;

/** Gathers the status parts of every {@link StatusContributor} (whiteboard) into one document. */
@Component(service = StatusDocument.class)
public final class StatusDocument {

    private final List<StatusContributor> contributors = new CopyOnWriteArrayList<>();
    private final String version;

    @Activate
    public StatusDocument(BundleContext context) {
        this.version = context.getBundle().getVersion().toString();
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
    void addContributor(StatusContributor contributor) {
        contributors.add(contributor);
    }

    void removeContributor(StatusContributor contributor) {
        contributors.remove(contributor);
    }

    /** A fresh snapshot: the runtime's facts first, then every part by key. */
    public Map<String, Object> snapshot() {
        Map<String, Object> document = new LinkedHashMap<>();
        Runtime runtime = Runtime.getRuntime();
        document.put("earshot", Map.of(
                "version", version,
                "uptime_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000,
                "heap_used_mb", (runtime.totalMemory() - runtime.freeMemory()) >> 20,
                "java", System.getProperty("java.version")));
        Map<String, Object> parts = new TreeMap<>();
        for (StatusContributor contributor : contributors) {
            try {
                parts.put(contributor.statusKey(), contributor.status());
            } catch (RuntimeException e) {
                parts.put(contributor.statusKey(), Map.of("error", e.toString()));
            }
        }
        document.putAll(parts);
        return document;
    }
}
