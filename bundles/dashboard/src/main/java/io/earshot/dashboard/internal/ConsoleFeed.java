package io.earshot.dashboard.internal;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.ConsoleListener;
import io.earshot.api.runtime.PluginContainment;
import io.earshot.api.status.ListenerStatistics;
import io.earshot.api.status.ListenerStats;

/**
 * The webapp's console: every line the runtime and its plugins write to standard output and
 * error (the log included), attributed to the plugin whose listener thread wrote it, or whose
 * code is on the stack of the thread that wrote it (a plugin's own threads), kept for
 * browsers that open later (the last {@link #KEPT_LINES}), sent to every browser and to every
 * {@link ConsoleListener} (whiteboard). Each source may write {@link #MAX_LINES_PER_SECOND} lines a
 * second; beyond that its lines are counted and said, so one flooding plugin does not silence the others.
 */
@Component(immediate = true, service = ConsoleFeed.class)
public final class ConsoleFeed {

    static final int KEPT_LINES = 500;
    static final int MAX_LINES_PER_SECOND = 100;
    /** slf4j-simple's layout: "HH:mm:ss.SSS [thread] LEVEL logger - message"; thread names may hold brackets. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\S+ \\[(.*?)\\] (ERROR|WARN|INFO|DEBUG|TRACE) (\\S+) - ");
    /** java.util.logging's two lines: "Dec 01, 2026 1:40:14 PM class method", then "LEVEL: message". */
    private static final Pattern JUL_HEADER = Pattern.compile("^[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M ");
    private static final Pattern JUL_LINE = Pattern.compile("^(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): ");
    private static final String LISTENER_THREAD = ListenerStats.THREAD_PREFIX;
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Bundles known to be or not be plugins or scripts; ids are never reused, so only a bound is needed. */
    private static final int MAX_KNOWN_BUNDLES = 4096;

    private final Browsers browsers;
    private final ObjectMapper json = new ObjectMapper();
    private final ArrayDeque<String> kept = new ArrayDeque<>();
    private final ConsoleTee out;
    private final ConsoleTee err;
    private final List<ConsoleListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, Boolean> contained = new ConcurrentHashMap<>();
    /** Optional: without them, lines are attributed by their thread's name only. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PluginContainment containment;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ListenerStatistics listenerStatistics;
    /** Lines written and lines left out in the current second, per source. */
    private final Map<String, long[]> window = new HashMap<>();
    private long windowStartMillis;

    @Activate
    public ConsoleFeed(@Reference Browsers browsers) {
        this.browsers = browsers;
        out = new ConsoleTee(System.out, (thread, line) -> line("stdout", thread, line));
        err = new ConsoleTee(System.err, (thread, line) -> line("stderr", thread, line));
        System.setOut(out);
        System.setErr(err);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ConsoleListener listener) {
        listeners.add(listener);
    }

    void removeListener(ConsoleListener listener) {
        listeners.remove(listener);
    }

    @Deactivate
    void deactivate() {
        if (System.out == out) System.setOut(out.original());
        if (System.err == err) System.setErr(err.original());
    }

    /** The kept lines, oldest first, as {@code /ws/ui} messages. */
    synchronized List<String> recent() {
        return new ArrayList<>(kept);
    }

    /** The console so far, to a browser that just came. */
    void replayTo(UiSession session) {
        for (String line : recent()) {
            session.offerData(line);
        }
    }

    private void line(String stream, String thread, String text) {
        if (text.isBlank()) {
            return;
        }
        String level = stream.equals("stderr") ? "error" : "info";
        boolean listenerThread = thread.startsWith(LISTENER_THREAD);
        // a line of a plugin's own thread names the plugin whose code wrote it
        String writer = listenerThread ? null : pluginOnStack();
        String source = listenerThread ? thread.substring(LISTENER_THREAD.length()) : writer != null ? writer : "runtime";
        Matcher log = LOG_LINE.matcher(text);
        Matcher jul = JUL_LINE.matcher(text);
        if (JUL_HEADER.matcher(text).find()) {
            level = "info";
        } else if (jul.find()) {
            level = switch (jul.group(1)) {
                case "SEVERE" -> "error";
                case "WARNING" -> "warn";
                default -> "info";
            };
        } else if (log.find()) {
            level = switch (log.group(2)) {
                case "ERROR" -> "error";
                case "WARN" -> "warn";
                default -> "info";
            };
            if (log.group(1).startsWith(LISTENER_THREAD)) {
                source = log.group(1).substring(LISTENER_THREAD.length());
            } else if (writer == null) {
                String logger = log.group(3);
                source = logger.substring(logger.lastIndexOf('.') + 1);
            }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("level", level);
        entry.put("source", source);
        entry.put("stream", stream);
        entry.put("message", text);
        entry.put("time", System.currentTimeMillis());
        publish(entry);
    }

    /**
     * The plugin or script whose code is writing, from the first of its classes on the writer's
     * stack: its listener's name when it has one, else its symbolic name; null when no plugin's
     * code is on the stack.
     */
    private String pluginOnStack() {
        PluginContainment plugins = containment;
        if (plugins == null) {
            return null;
        }
        if (contained.size() > MAX_KNOWN_BUNDLES) {
            contained.clear();
        }
        Bundle writer = STACK.walk(frames -> frames
                .map(frame -> FrameworkUtil.getBundle(frame.getDeclaringClass()))
                .filter(bundle -> bundle != null && contained.computeIfAbsent(bundle.getBundleId(), plugins::contains))
                .findFirst().orElse(null));
        if (writer == null) {
            return null;
        }
        ListenerStatistics statistics = listenerStatistics;
        List<String> names = statistics == null ? List.of() : statistics.listeners().stream()
                .filter(l -> l.bundleId() == writer.getBundleId()).map(ListenerStats::name).toList();
        return names.size() == 1 ? names.get(0) : writer.getSymbolicName();
    }

    /** Keeps and sends under each source's rate limit; never calls out while holding the lock. */
    private void publish(Map<String, Object> entry) {
        String source = (String) entry.get("source");
        List<String> toSend = new ArrayList<>(2);
        Map<String, Long> skipped = new LinkedHashMap<>();
        boolean within;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (now - windowStartMillis >= 1000) {
                window.forEach((who, counts) -> {
                    if (counts[1] > 0) skipped.put(who, counts[1]);
                });
                window.clear();
                windowStartMillis = now;
            }
            skipped.forEach((who, lines) -> toSend.add(encode(Map.of("level", "warn", "source", who, "message",
                    lines + " lines of " + who + " left out: more than " + MAX_LINES_PER_SECOND + " a second", "time", now))));
            long[] counts = window.computeIfAbsent(source, who -> new long[2]);
            within = ++counts[0] <= MAX_LINES_PER_SECOND;
            if (within) {
                toSend.add(encode(entry));
            } else {
                counts[1]++;
            }
            for (String message : toSend) {
                kept.addLast(message);
                while (kept.size() > KEPT_LINES) kept.removeFirst();
            }
        }
        for (String message : toSend) {
            browsers.data(message);
        }
        for (ConsoleListener listener : listeners) {
            try {
                skipped.forEach(listener::skipped);
                if (within) {
                    listener.line(new ConsoleListener.Line(source, (String) entry.get("stream"), (String) entry.get("level"),
                            (String) entry.get("message"), (Long) entry.get("time")));
                }
            } catch (RuntimeException e) {
                // a broken listener must not break the println that got here
            }
        }
    }

    private String encode(Map<String, Object> entry) {
        try {
            return json.writeValueAsString(Map.of("log", entry));
        } catch (JsonProcessingException e) {
            return "{\"log\":{\"level\":\"error\",\"message\":\"(a console line could not be encoded)\"}}";
        }
    }
}
