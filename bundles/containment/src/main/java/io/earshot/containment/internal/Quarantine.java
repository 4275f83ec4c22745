package io.earshot.containment.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

import io.earshot.api.runtime.HeldBack;

/**
 * Remembers, on disk, the plugins that are starting: a marker file is written (and forced to
 * disk) when a plugin starts, and deleted once the plugin has been started, or has failed to, for
 * {@link #SETTLE}, or is stopped, or the JVM shuts down in order. A marker found when the runtime starts means the runtime ended
 * during that plugin's start: the plugin is held back (a resolver hook keeps it from resolving,
 * so nothing of it runs; a bundle with no requirements at all would still resolve) until someone starts it by hand or replaces its jar.
 */
final class Quarantine implements ResolverHookFactory {

    /** How long after a start a plugin is still taken for the cause if the runtime ends. */
    static final Duration SETTLE = Duration.ofSeconds(10);
    /** Markers read at start, at most: a folder full of them is not a reason to read forever. */
    static final int MAX_MARKERS = 256;

    private record Marker(String location, String name, Instant startedAt) {
    }

    /** A plugin being watched: its marker, and since when it is no longer starting. */
    private static final class Watch {
        final Path file;
        volatile Instant settledSince;

        Watch(Path file) {
            this.file = file;
        }
    }

    private final Path folder;
    /** Held back, by location: what the markers found at start said. */
    private final Map<String, Marker> held = new ConcurrentHashMap<>();
    /** The bundle id of each held location once it is installed. */
    private final Map<String, Long> heldIds = new ConcurrentHashMap<>();
    private final Map<Long, Watch> watched = new ConcurrentHashMap<>();

    Quarantine(Path folder) {
        this.folder = folder;
    }

    /** Reads the markers the last run left: each names a plugin to hold back. */
    List<String> load() {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return problems;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.start")) {
            int read = 0;
            for (Path file : files) {
                if (read++ >= MAX_MARKERS) {
                    problems.add("more than " + MAX_MARKERS + " start markers in " + folder + "; the rest are ignored");
                    break;
                }
                try {
                    Properties properties = new Properties();
                    properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                    String location = properties.getProperty("location");
                    if (location == null) {
                        Files.deleteIfExists(file);
                        continue;
                    }
                    held.put(location, new Marker(location, properties.getProperty("name", "?"),
                            Instant.parse(properties.getProperty("started", Instant.EPOCH.toString()))));
                } catch (IOException | RuntimeException e) {
                    problems.add("cannot read the start marker " + file.getFileName() + " (" + e + "); it is deleted");
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            problems.add("cannot read the start markers in " + folder + " (" + e + ")");
        }
        return problems;
    }

    boolean isHeld(String location) {
        return held.containsKey(location);
    }

    /** Called when a held plugin is installed in this run; true if it is held. */
    boolean installed(Bundle bundle) {
        if (held.containsKey(bundle.getLocation())) {
            heldIds.put(bundle.getLocation(), bundle.getBundleId());
            return true;
        }
        return false;
    }

    List<HeldBack> heldBack() {
        List<HeldBack> list = new ArrayList<>();
        for (Marker marker : held.values()) {
            Long id = heldIds.get(marker.location());
            if (id != null) {
                list.add(new HeldBack(id, marker.name(), marker.location(), marker.startedAt()));
            }
        }
        return list;
    }

    /** Lets the plugin resolve and start again. */
    boolean release(Bundle bundle) {
        if (held.remove(bundle.getLocation()) == null) {
            return false;
        }
        heldIds.remove(bundle.getLocation());
        try {
            Files.deleteIfExists(markerFile(bundle.getLocation()));
        } catch (IOException e) {
            ConsoleLog.warn("cannot delete the start marker of " + bundle.getSymbolicName() + " (" + e + ")");
        }
        return true;
    }

    /** A plugin is starting: from now until it settles, the runtime's end is taken for its doing. */
    void starting(Bundle bundle) throws IOException {
        Files.createDirectories(folder);
        Path file = markerFile(bundle.getLocation());
        String text = "location=" + escape(bundle.getLocation()) + "\nname=" + escape(bundle.getSymbolicName())
                + "\nstarted=" + Instant.now() + "\n";
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        watched.put(bundle.getBundleId(), new Watch(file));
    }

    /** A clean stop or removal: whatever happens next is not this start's doing. */
    void ended(Bundle bundle) {
        Watch watch = watched.remove(bundle.getBundleId());
        if (watch != null) {
            delete(watch.file);
        }
    }

    /**
     * The JVM is shutting down in order (a signal such as Ctrl-C, or an exit of the runtime's
     * own): not a crash, whatever was starting. Shutdown hooks do not run when the process is
     * killed or crashes, which is what the markers are for.
     */
    void orderlyShutdown() {
        for (Long id : watched.keySet()) {
            Watch watch = watched.remove(id);
            if (watch != null) delete(watch.file);
        }
    }

    /** Deletes the markers of plugins that have not been starting for {@link #SETTLE}; run every second. */
    void sweep(Map<Long, Integer> states, Instant now) {
        for (Map.Entry<Long, Watch> entry : watched.entrySet()) {
            Integer state = states.get(entry.getKey());
            Watch watch = entry.getValue();
            if (state != null && state == Bundle.STARTING) {
                watch.settledSince = null;
            } else if (watch.settledSince == null) {
                watch.settledSince = now;
            } else if (Duration.between(watch.settledSince, now).compareTo(SETTLE) >= 0) {
                watched.remove(entry.getKey(), watch);
                delete(watch.file);
            }
        }
    }

    Collection<Long> watchedIds() {
        return watched.keySet();
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            ConsoleLog.warn("cannot delete the start marker " + file + " (" + e + ")");
        }
    }

    private Path markerFile(String location) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(location.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(digest, 0, 12) + ".start");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Properties-file escaping of a value. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : String.valueOf(value).toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }

    /**
     * Holds a plugin back by giving its requirements no providers, so it stays unresolved and
     * none of its code can run. Not by {@code filterResolvable}: Felix then also drops every
     * resolved provider from dynamic imports (SPI Fly's woven classes rely on those), and the
     * runtime's own HTTP service fails to start.
     */
    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> candidates) {
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                if (!held.isEmpty() && held.containsKey(requirement.getRevision().getBundle().getLocation())) {
                    candidates.clear();
                }
            }

            @Override
            public void end() {
            }
        };
    }
}
