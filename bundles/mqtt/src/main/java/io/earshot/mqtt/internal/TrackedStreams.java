package io.earshot.mqtt.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.earshot.api.StreamControl;
import io.earshot.api.Streams;

/**
 * The streams the MQTT side publishes, by id: main always, then each other stream's
 * {@link StreamControl} as it is registered, at most {@link #MAX_STREAMS} in all. One over the
 * limit waits (counted in the status) and is taken up when another goes. Thread-safe: the
 * bind and unbind calls come on SCR's threads, the sessions read {@link #snapshot} on theirs.
 */
final class TrackedStreams {

    /** Streams published at once, main included: as many as the hub runs (its {@code MAX_STREAMS}). */
    static final int MAX_STREAMS = 16;

    private final StreamControl main;
    /** Beside main, by id (sorted): published. */
    private final TreeMap<String, StreamControl> others = new TreeMap<>();
    /** Over the limit, in the order they came: not published until one of {@link #others} goes. */
    private final LinkedHashMap<String, StreamControl> waiting = new LinkedHashMap<>();

    TrackedStreams(StreamControl main) {
        this.main = main;
    }

    /**
     * The stream {@code id} registered ({@code control}); whether it is published now (false: not
     * a stream id, main, or over the limit and waiting). A second control of an id replaces the first.
     */
    synchronized boolean add(String id, StreamControl control) {
        if (!Streams.isValidId(id) || Streams.MAIN.equals(id)) {
            return false;
        }
        if (others.containsKey(id) || others.size() + 1 < MAX_STREAMS) {
            waiting.remove(id);
            others.put(id, control);
            return true;
        }
        waiting.put(id, control);
        return false;
    }

    /** The control of {@code id} unregistered; a stream waiting takes its place. Whether it was published. */
    synchronized boolean remove(String id, StreamControl control) {
        if (waiting.get(id) == control) {
            waiting.remove(id);
            return false;
        }
        if (others.get(id) != control) {
            return false;
        }
        others.remove(id);
        var next = waiting.entrySet().iterator();
        if (next.hasNext()) {
            var first = next.next();
            next.remove();
            others.put(first.getKey(), first.getValue());
        }
        return true;
    }

    /** Main first, then the others by id. */
    synchronized Map<String, StreamControl> snapshot() {
        Map<String, StreamControl> all = new LinkedHashMap<>();
        all.put(Streams.MAIN, main);
        all.putAll(others);
        return all;
    }

    /** The ids over the limit, not published. */
    synchronized List<String> waiting() {
        return new ArrayList<>(waiting.keySet());
    }
}
