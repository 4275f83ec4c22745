package io.earshot.api.results;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Events a plugin publishes itself, beside its handlers' data (to MQTT: under
 * {@code <prefix>/<stream>/events/<plugin>/<topic>}). The service is bundle-scoped, so the
 * publisher knows which plugin an event comes from. Thread-safe; never blocks.
 */
@ProviderType
public interface EventPublisher {

    /** The longest {@code topic} taken, in characters. */
    int MAX_TOPIC_CHARS = 200;

    /** The largest event taken, in bytes of JSON. */
    int MAX_EVENT_BYTES = 64 * 1024;

    /**
     * Publishes {@code data} (plain values: strings, numbers, booleans, lists and maps of them),
     * encoded as JSON, under {@code topic}: one or more levels of letters, digits, {@code -} and
     * {@code _}, separated by {@code /}.
     *
     * @return true when it is on its way, false when it was dropped because the outgoing queue is
     *         full or the broker is away (counted in the status)
     * @throws IllegalArgumentException with what was wrong: a bad topic, data that cannot be JSON,
     *                                  or too large
     */
    boolean publish(String topic, Object data);
}
