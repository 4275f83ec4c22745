package io.earshot.containment.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Bundle;

import io.earshot.api.runtime.LingeringThread;

/**
 * Finds the threads a stopped or removed plugin leaves running. A plugin's classes are known by
 * name from its bundle's entries (taken while it runs); after it stops, a thread whose stack holds
 * a frame of one of them is still running its code. The JVM cannot end such a thread; this only
 * makes it visible, with the CPU it burns.
 */
final class LingeringThreads {

    /** Threads that end within this after the stop are not lingering: stopping takes a moment. */
    static final Duration GRACE = Duration.ofSeconds(2);
    /** Stopped plugins watched at once; the oldest is forgotten beyond it. */
    static final int MAX_WATCHED = 64;
    /** Class names remembered of one plugin. */
    static final int MAX_CLASSES = 20_000;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private static final class Stopped {
        final long bundleId;
        final String name;
        final Set<String> classes;
        final Instant at;
        final Map<Long, Long> cpuAtStop;
        volatile boolean removed;
        /** Once the plugin runs again, its new threads are its own: only threads found before count. */
        volatile boolean restarted;
        final Set<Long> found = new HashSet<>();
        List<LingeringThread> lingering = List.of();

        Stopped(long bundleId, String name, Set<String> classes, Instant at, Map<Long, Long> cpuAtStop) {
            this.bundleId = bundleId;
            this.name = name;
            this.classes = classes;
            this.at = at;
            this.cpuAtStop = cpuAtStop;
        }
    }

    private final Map<Long, Set<String>> running = new HashMap<>();
    private final Map<Long, Stopped> stopped = new LinkedHashMap<>();

    /** The plugin runs: learn its class names. */
    synchronized void started(Bundle bundle) {
        running.put(bundle.getBundleId(), classNames(bundle));
        Stopped before = stopped.get(bundle.getBundleId());
        if (before != null) {
            before.restarted = true;
        }
    }

    /** The plugin is about to stop: note each thread's CPU so far. */
    synchronized void stopping(Bundle bundle) {
        Set<String> classes = running.remove(bundle.getBundleId());
        if (classes == null || classes.isEmpty()) {
            return;
        }
        Map<Long, Long> cpu = new HashMap<>();
        if (CPU.isThreadCpuTimeSupported()) {
            for (long id : CPU.getAllThreadIds()) {
                cpu.put(id, CPU.getThreadCpuTime(id));
            }
        }
        stopped.remove(bundle.getBundleId());
        stopped.put(bundle.getBundleId(), new Stopped(bundle.getBundleId(), bundle.getSymbolicName(), classes, Instant.now(), cpu));
        while (stopped.size() > MAX_WATCHED) {
            stopped.remove(stopped.keySet().iterator().next());
        }
    }

    synchronized void removed(Bundle bundle) {
        running.remove(bundle.getBundleId());
        Stopped entry = stopped.get(bundle.getBundleId());
        if (entry != null) {
            entry.removed = true;
        }
    }

    synchronized boolean watching() {
        return !stopped.isEmpty();
    }

    /**
     * Looks at every thread once; returns the threads newly found lingering. Plugins whose
     * threads have all ended are forgotten.
     */
    List<LingeringThread> scan(Instant now) {
        List<Stopped> entries;
        synchronized (this) {
            entries = new ArrayList<>(stopped.values());
        }
        entries.removeIf(entry -> Duration.between(entry.at, now).compareTo(GRACE) < 0);
        if (entries.isEmpty()) {
            return List.of();
        }
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        List<LingeringThread> fresh = new ArrayList<>();
        for (Stopped entry : entries) {
            List<LingeringThread> lingering = new ArrayList<>();
            for (Map.Entry<Thread, StackTraceElement[]> thread : stacks.entrySet()) {
                long id = thread.getKey().getId();
                if (entry.restarted && !entry.found.contains(id)) {
                    continue;
                }
                StackTraceElement frame = firstFrameOf(entry.classes, thread.getValue());
                if (frame == null) {
                    continue;
                }
                long cpuNow = CPU.isThreadCpuTimeSupported() ? CPU.getThreadCpuTime(id) : -1;
                long since = cpuNow < 0 ? -1 : (cpuNow - entry.cpuAtStop.getOrDefault(id, 0L)) / 1_000_000;
                LingeringThread found = new LingeringThread(entry.bundleId, entry.name, entry.removed, entry.at,
                        thread.getKey().getName(), thread.getKey().getState().toString(), since, frame.toString());
                lingering.add(found);
                synchronized (this) {
                    if (entry.found.add(id)) {
                        fresh.add(found);
                    }
                }
            }
            synchronized (this) {
                entry.lingering = List.copyOf(lingering);
                if (lingering.isEmpty()) {
                    stopped.remove(entry.bundleId, entry);
                }
            }
        }
        return fresh;
    }

    synchronized List<LingeringThread> lingering() {
        List<LingeringThread> all = new ArrayList<>();
        for (Stopped entry : stopped.values()) {
            all.addAll(entry.lingering);
        }
        return all;
    }

    private static StackTraceElement firstFrameOf(Set<String> classes, StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (classes.contains(frame.getClassName())) {
                return frame;
            }
        }
        return null;
    }

    static Set<String> classNames(Bundle bundle) {
        Set<String> names = new HashSet<>();
        Enumeration<java.net.URL> entries = bundle.findEntries("/", "*.class", true);
        while (entries != null && entries.hasMoreElements() && names.size() < MAX_CLASSES) {
            String path = entries.nextElement().getPath();
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            if (!path.startsWith("META-INF/")) {
                names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
            }
        }
        return names;
    }
}
