package io.earshot.containment.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.SynchronousBundleListener;

import io.earshot.api.StatusContributor;
import io.earshot.api.runtime.HeldBack;
import io.earshot.api.runtime.LingeringThread;
import io.earshot.api.runtime.PluginContainment;
import io.earshot.api.runtime.RefusedCall;
import io.earshot.containment.guard.ExitGuard;

/**
 * Ties the containment together: hears the refused calls (and stops the plugin that made one),
 * follows plugins through their lifecycle for the start markers and the lingering-thread watch,
 * and tells all of it to the status and the plugin manager.
 */
final class Containment implements PluginContainment, StatusContributor, SynchronousBundleListener, ExitGuard.Witness {

    /** Refused calls remembered: one per bundle and call. */
    static final int MAX_REFUSED = 64;

    private final BundleContext context;
    private final Contained contained;
    private final Quarantine quarantine;
    private final LingeringThreads lingering;
    private final ScheduledExecutorService worker;
    private final Map<String, RefusedCall> refused = new LinkedHashMap<>();
    final AtomicLong wovenClasses = new AtomicLong();
    final AtomicLong weavingFailures = new AtomicLong();

    Containment(BundleContext context, Contained contained, Quarantine quarantine, LingeringThreads lingering,
            ScheduledExecutorService worker) {
        this.context = context;
        this.contained = contained;
        this.quarantine = quarantine;
        this.lingering = lingering;
        this.worker = worker;
    }

    @Override
    public boolean contains(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        return bundle != null && contained.contains(bundle);
    }

    Contained contained() {
        return contained;
    }

    @Override
    public void refused(Class<?> caller, String call, StackTraceElement where) {
        Bundle bundle = FrameworkUtil.getBundle(caller);
        if (bundle == null) {
            return;
        }
        boolean plugin = contained.isPlugin(bundle);
        String key = bundle.getBundleId() + "\n" + call;
        boolean first;
        synchronized (refused) {
            RefusedCall before = refused.remove(key);
            first = before == null;
            refused.put(key, new RefusedCall(bundle.getBundleId(), bundle.getSymbolicName(), call, String.valueOf(where),
                    Instant.now(), first ? 1 : before.count() + 1, plugin));
            while (refused.size() > MAX_REFUSED) {
                refused.remove(refused.keySet().iterator().next());
            }
        }
        if (first) {
            ConsoleLog.error((plugin ? "plugin " : "script ") + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "] called "
                    + call + " at " + where + ": refused, the runtime goes on"
                    + (plugin ? "; the plugin is stopped (start it again from the Plugins tab once it is fixed)" : ""));
        }
        if (plugin) {
            // not on the caller's thread: it may be the plugin's own activator or listener thread
            worker.execute(() -> stop(bundle, call));
        }
    }

    private static void stop(Bundle bundle, String call) {
        try {
            if ((bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                bundle.stop();
            }
        } catch (BundleException | IllegalStateException e) {
            ConsoleLog.warn("could not stop " + bundle.getSymbolicName() + " after its " + call + ": " + e.getMessage());
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        if (!contained.contains(bundle)) {
            return;
        }
        boolean plugin = contained.isPlugin(bundle);
        switch (event.getType()) {
            case BundleEvent.INSTALLED -> {
                if (plugin && quarantine.installed(bundle)) {
                    HeldBack held = quarantine.heldBack().stream().filter(h -> h.bundleId() == bundle.getBundleId()).findFirst()
                            .orElse(null);
                    ConsoleLog.error("plugin " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "] is held back: the runtime"
                            + " ended while it was starting" + (held == null ? "" : " (" + held.startedAt() + ")")
                            + ". Start it by hand when it is safe: the Plugins tab, or POST /api/plugins/" + bundle.getBundleId()
                            + "/start; replacing its jar releases it too");
                }
            }
            case BundleEvent.STARTING -> {
                if (plugin) {
                    try {
                        quarantine.starting(bundle);
                    } catch (IOException e) {
                        ConsoleLog.warn("cannot write the start marker of " + bundle.getSymbolicName() + " (" + e
                                + "): if it brings the runtime down, it is started again next time");
                    }
                }
            }
            case BundleEvent.STARTED -> lingering.started(bundle);
            case BundleEvent.STOPPING -> lingering.stopping(bundle);
            case BundleEvent.STOPPED -> quarantine.ended(bundle);
            case BundleEvent.UPDATED -> {
                if (plugin && quarantine.release(bundle)) {
                    ConsoleLog.warn("plugin " + bundle.getSymbolicName() + " is no longer held back: its jar was replaced");
                }
            }
            case BundleEvent.UNINSTALLED -> {
                quarantine.ended(bundle);
                quarantine.release(bundle);
                lingering.removed(bundle);
            }
            default -> {
            }
        }
    }

    /** Every second: settles start markers and looks for lingering threads. */
    void sweep() {
        Instant now = Instant.now();
        Map<Long, Integer> states = new HashMap<>();
        for (long id : quarantine.watchedIds()) {
            Bundle bundle = context.getBundle(id);
            if (bundle != null) {
                states.put(id, bundle.getState());
            }
        }
        quarantine.sweep(states, now);
        if (lingering.watching()) {
            for (LingeringThread thread : lingering.scan(now)) {
                ConsoleLog.warn("plugin " + thread.bundleName() + " [" + thread.bundleId() + "] was " + (thread.removed() ? "removed" : "stopped")
                        + " but its thread '" + thread.threadName() + "' is still running (" + thread.threadState() + ", at "
                        + thread.where() + "); Java cannot end it from outside: restart Earshot to end it");
            }
        }
    }

    @Override
    public List<RefusedCall> refusedCalls() {
        List<RefusedCall> list;
        synchronized (refused) {
            list = new ArrayList<>(refused.values());
        }
        list.sort(Comparator.comparing(RefusedCall::at).reversed());
        return list;
    }

    @Override
    public List<LingeringThread> lingeringThreads() {
        return lingering.lingering();
    }

    @Override
    public List<HeldBack> heldBack() {
        return quarantine.heldBack();
    }

    @Override
    public boolean release(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        return bundle != null && quarantine.release(bundle);
    }

    @Override
    public String statusKey() {
        return "containment";
    }

    @Override
    public Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("woven_classes", wovenClasses.get());
        status.put("weaving_failures", weavingFailures.get());
        List<Map<String, Object>> calls = new ArrayList<>();
        for (RefusedCall call : refusedCalls()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("bundle", call.bundleId());
            entry.put("name", call.bundleName());
            entry.put("call", call.call());
            entry.put("where", call.where());
            entry.put("at", call.at().toString());
            entry.put("count", call.count());
            entry.put("stopped", call.stopped());
            calls.add(entry);
        }
        status.put("refused_calls", calls);
        List<Map<String, Object>> threads = new ArrayList<>();
        for (LingeringThread thread : lingeringThreads()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("bundle", thread.bundleId());
            entry.put("name", thread.bundleName());
            entry.put("removed", thread.removed());
            entry.put("stopped_at", thread.stoppedAt().toString());
            entry.put("thread", thread.threadName());
            entry.put("state", thread.threadState());
            entry.put("cpu_ms_since_stop", thread.cpuMillisSinceStop());
            entry.put("where", thread.where());
            threads.add(entry);
        }
        status.put("lingering_threads", threads);
        List<Map<String, Object>> held = new ArrayList<>();
        for (HeldBack plugin : heldBack()) {
            held.add(Map.of("bundle", plugin.bundleId(), "name", plugin.bundleName(), "location", plugin.location(),
                    "started_at", plugin.startedAt().toString()));
        }
        status.put("held_back", held);
        return status;
    }
}
