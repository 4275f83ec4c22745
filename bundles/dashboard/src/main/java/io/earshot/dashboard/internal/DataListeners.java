package io.earshot.dashboard.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioBuffer;
import io.earshot.api.results.HandlerDataListener;
import io.earshot.api.status.HandlerInfo;

/**
 * The {@link HandlerDataListener}s (whiteboard, kept by {@link Handlers}): each handler's data,
 * audio and removal goes to every one on the sending plugin's thread. A listener that throws is logged
 * (the first time, then one in a hundred) and counted; the plugin never sees it.
 */
final class DataListeners {

    private static final Logger LOG = LoggerFactory.getLogger(DataListeners.class);

    private final Set<HandlerDataListener> listeners = new CopyOnWriteArraySet<>();
    private final AtomicLong failures = new AtomicLong();

    void add(HandlerDataListener listener) {
        listeners.add(listener);
    }

    void remove(HandlerDataListener listener) {
        listeners.remove(listener);
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void data(HandlerInfo handler, String json) {
        for (HandlerDataListener listener : listeners) {
            try {
                listener.data(handler, json);
            } catch (RuntimeException | LinkageError e) {
                failed(listener, e);
            }
        }
    }

    void audio(HandlerInfo handler, AudioBuffer audio) {
        for (HandlerDataListener listener : listeners) {
            try {
                listener.audio(handler, audio);
            } catch (RuntimeException | LinkageError e) {
                failed(listener, e);
            }
        }
    }

    void removed(HandlerInfo handler) {
        for (HandlerDataListener listener : listeners) {
            try {
                listener.removed(handler);
            } catch (RuntimeException | LinkageError e) {
                failed(listener, e);
            }
        }
    }

    private void failed(HandlerDataListener listener, Throwable e) {
        long n = failures.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            LOG.warn("handler data listener {} failed ({} failures so far)", listener.getClass().getName(), n, e);
        }
    }

    Map<String, Object> status() {
        return Map.of("listeners", listeners.size(), "failures", failures.get());
    }
}
