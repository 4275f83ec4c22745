package io.earshot.plugins.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.runtime.HeldBack;
import io.earshot.api.runtime.LingeringThread;
import io.earshot.api.runtime.PluginContainment;
import io.earshot.api.runtime.RefusedCall;
import io.earshot.api.status.HandlerDirectory;
import io.earshot.api.status.HandlerInfo;
import io.earshot.api.status.ListenerStatistics;
import io.earshot.api.status.ListenerStats;

/**
 * The plugin bundles: those in the plugins folder (FileInstall installs, updates and removes
 * them as files come, change and go). Lists them with what the hub and the dashboard count for
 * them, and takes uploads, start, stop and removal. Bundles of the runtime itself are not
 * plugins and are refused.
 */
@Component(service = PluginManager.class)
public final class PluginManager {

    static final long MAX_UPLOAD_BYTES = 64L * 1024 * 1024;
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.jar");

    private final BundleContext context;
    private final PluginContainment containment;
    private final Path folder;
    /** Optional: without the hub or the dashboard, plugins are listed without their counters. */
    @Reference(cardinality = OPTIONAL, policy = DYNAMIC)
    private volatile ListenerStatistics listenerStatistics;
    @Reference(cardinality = OPTIONAL, policy = DYNAMIC)
    private volatile HandlerDirectory handlerDirectory;

    @Activate
    public PluginManager(BundleContext context, @Reference PluginContainment containment) {
        this.context = context;
        this.containment = containment;
        String dir = context.getProperty("earshot.plugins");
        this.folder = dir == null ? Path.of("plugins").toAbsolutePath() : Path.of(dir).toAbsolutePath();
    }

    Path folder() {
        return folder;
    }

    /** The file a plugin bundle was installed from, when it is one of the plugins folder's. */
    Optional<Path> fileOf(Bundle bundle) {
        String location = bundle.getLocation();
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            Path file = Path.of(java.net.URI.create(location)).toAbsolutePath().normalize();
            return file.getParent() != null && file.getParent().equals(folder.normalize()) ? Optional.of(file) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    List<Bundle> plugins() {
        List<Bundle> plugins = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (fileOf(bundle).isPresent()) {
                plugins.add(bundle);
            }
        }
        return plugins;
    }

    Optional<Bundle> plugin(long id) {
        Bundle bundle = context.getBundle(id);
        return bundle != null && fileOf(bundle).isPresent() ? Optional.of(bundle) : Optional.empty();
    }

    /** One plugin for the list: identity, state, and the stream and dashboard counters that are its. */
    List<Map<String, Object>> describe() {
        ListenerStatistics statistics = listenerStatistics;
        HandlerDirectory directory = handlerDirectory;
        List<ListenerStats> slots = statistics == null ? List.of() : statistics.listeners();
        List<HandlerInfo> allHandlers = directory == null ? List.of() : directory.handlers();
        List<RefusedCall> refused = containment.refusedCalls();
        List<HeldBack> heldBack = containment.heldBack();
        List<LingeringThread> lingering = containment.lingeringThreads();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Bundle bundle : plugins()) {
            Map<String, Object> plugin = new LinkedHashMap<>();
            plugin.put("id", bundle.getBundleId());
            plugin.put("name", bundle.getSymbolicName());
            plugin.put("version", bundle.getVersion().toString());
            plugin.put("state", state(bundle.getState()));
            plugin.put("file", fileOf(bundle).map(f -> f.getFileName().toString()).orElse(null));
            long delivered = 0, dropped = 0, failed = 0;
            List<String> listeners = new ArrayList<>();
            for (ListenerStats slot : slots) {
                if (slot.bundleId() == bundle.getBundleId()) {
                    listeners.add(slot.name());
                    delivered += slot.delivered();
                    dropped += slot.dropped();
                    failed += slot.failed();
                }
            }
            List<String> handlers = new ArrayList<>();
            for (HandlerInfo handler : allHandlers) {
                if (handler.ownerBundleId() == bundle.getBundleId()) {
                    handlers.add(handler.name());
                }
            }
            plugin.put("listeners", listeners);
            plugin.put("buffers_delivered", delivered);
            plugin.put("buffers_dropped", dropped);
            plugin.put("callbacks_failed", failed);
            plugin.put("handlers", handlers);
            boolean held = heldBack.stream().anyMatch(h -> h.bundleId() == bundle.getBundleId());
            plugin.put("held_back", held);
            if (held) plugin.put("state", "held back");
            plugin.put("problem", problem(bundle.getBundleId(), held, refused));
            plugin.put("lingering_threads", threads(lingering, bundle.getBundleId()));
            list.add(plugin);
        }
        return list;
    }

    /** What went wrong with a plugin that the runtime contained, in a sentence, or null. */
    private static String problem(long bundleId, boolean held, List<RefusedCall> refused) {
        if (held) {
            return "held back: the runtime ended while this plugin was starting, the last time it started;"
                    + " start it by hand when it is safe";
        }
        for (RefusedCall call : refused) { // newest first
            if (call.bundleId() == bundleId) {
                return "called " + call.call() + " at " + call.where() + (call.count() > 1 ? " (" + call.count() + " times)" : "")
                        + ": refused, and the plugin was stopped; plugins cannot end the runtime";
            }
        }
        return null;
    }

    private static List<Map<String, Object>> threads(List<LingeringThread> lingering, long bundleId) {
        List<Map<String, Object>> threads = new ArrayList<>();
        for (LingeringThread thread : lingering) {
            if (thread.bundleId() == bundleId) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("thread", thread.threadName());
                entry.put("state", thread.threadState());
                entry.put("cpu_ms_since_stop", thread.cpuMillisSinceStop());
                entry.put("where", thread.where());
                threads.add(entry);
            }
        }
        return threads;
    }

    /**
     * Removed plugins whose threads still run: they are no longer in the list, but what they
     * left behind costs CPU until the runtime restarts.
     */
    List<Map<String, Object>> lingeringAfterRemoval() {
        Map<Long, Map<String, Object>> removed = new LinkedHashMap<>();
        List<LingeringThread> lingering = containment.lingeringThreads();
        for (LingeringThread thread : lingering) {
            if (thread.removed()) {
                removed.computeIfAbsent(thread.bundleId(), id -> {
                    Map<String, Object> plugin = new LinkedHashMap<>();
                    plugin.put("id", id);
                    plugin.put("name", thread.bundleName());
                    plugin.put("removed_at", thread.stoppedAt().toString());
                    plugin.put("lingering_threads", threads(lingering, id));
                    return plugin;
                });
            }
        }
        return new ArrayList<>(removed.values());
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed (not resolved: a dependency is missing)";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    /**
     * Puts a plugin jar into the plugins folder (FileInstall installs it within a second). The
     * body is streamed to a temporary file there (never held in memory), checked, then moved into
     * place. A jar whose bundle is already a plugin replaces that plugin's file. Refuses what is
     * not a bundle, and more than {@link #MAX_UPLOAD_BYTES}.
     *
     * @return the file name written and the bundle's symbolic name
     */
    Map<String, Object> upload(String wantedName, InputStream body) throws IOException {
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, ".upload-", ".part");
        try {
            long size;
            try (OutputStream out = Files.newOutputStream(temporary)) {
                size = copyAtMost(body, out, MAX_UPLOAD_BYTES);
            }
            if (size == 0) {
                throw new IllegalArgumentException("no jar: send the plugin jar as the request body");
            }
            String bsn = symbolicName(temporary);
            String fileName = null;
            for (Bundle bundle : plugins()) {
                if (bsn.equals(bundle.getSymbolicName())) {
                    fileName = fileOf(bundle).map(f -> f.getFileName().toString()).orElse(null);
                }
            }
            if (fileName == null) {
                fileName = wantedName != null && FILE_NAME.matcher(wantedName).matches() ? wantedName : bsn + ".jar";
                if (!FILE_NAME.matcher(fileName).matches()) {
                    throw new IllegalArgumentException("cannot name a file for bundle '" + bsn + "': give ?name= of letters,"
                            + " digits, '.', '_', '-' ending in .jar (at most 104 characters)");
                }
            }
            Files.move(temporary, folder.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Map.of("file", fileName, "bundle", bsn);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(chunk)) > 0; ) {
            total += n;
            if (total > limit) {
                throw new IllegalArgumentException("the jar is larger than " + limit + " bytes, the most accepted");
            }
            out.write(chunk, 0, n);
        }
        return total;
    }

    /** The jar's Bundle-SymbolicName, or why it is not a plugin bundle. */
    static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new IllegalArgumentException("not a plugin bundle: the jar has no META-INF/MANIFEST.MF");
            }
            String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw new IllegalArgumentException("not a plugin bundle: its manifest has no Bundle-SymbolicName;"
                        + " build it with bnd (see docs/plugins.md)");
            }
            return bsn.split(";", 2)[0].trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a jar (" + e.getMessage() + ")");
        }
    }

    /** Starts it; a plugin held back after a crash is released first: starting it by hand is the user's say. */
    void start(Bundle plugin) throws BundleException {
        containment.release(plugin.getBundleId());
        plugin.start();
    }

    void stop(Bundle plugin) throws BundleException {
        plugin.stop();
    }

    /** Deletes its file: FileInstall uninstalls it, and it stays gone after a restart. */
    void remove(Bundle plugin) throws IOException {
        Optional<Path> file = fileOf(plugin);
        if (file.isPresent()) {
            Files.deleteIfExists(file.get());
        }
    }
}
