package io.earshot.hub.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.SourceSettings;
import io.earshot.api.StreamConfig;

/**
 * A stream beside the main one, as one configuration defines it (see {@link StreamConfigurations}):
 * the hub runs it while the configuration exists. Keys that are not the stream's own are its
 * settings for the source.
 */
final class StreamDefinition {

    static final String FACTORY_PID = "io.earshot.stream";
    private static final Logger LOG = LoggerFactory.getLogger(StreamDefinition.class);
    /** The stream's own keys, and those ConfigAdmin, SCR and FileInstall add: none of them goes to the source. */
    private static final Set<String> NOT_SETTINGS = Set.of("id", "source", "rate", "channels", "buffer_frames", "volume",
            "pose", "minReopenIntervalMs", "service.pid", "service.factoryPid", "service.bundleLocation", "component.name",
            "component.id", "felix.fileinstall.filename");
    /** Settings handed to a source, at most; each value at most this long. */
    static final int MAX_SETTINGS = 64;
    static final int MAX_SETTING_CHARS = 4096;

    private final HubImpl hub;
    private final String pid;
    private final String id;
    /** Why the hub did not run it, or null. */
    private volatile String problem;

    /** @param pid the configuration's pid: {@code io.earshot.stream~ID} */
    StreamDefinition(HubImpl hub, String pid, Map<String, Object> properties) {
        this.hub = hub;
        this.pid = pid;
        this.id = idOf(pid, properties);
        hub.definitions().add(this);
        apply(properties);
    }

    /** Starts the stream, or moves it to the configuration's new values. */
    void apply(Map<String, Object> properties) {
        if (!id.equals(idOf(pid, properties))) {
            LOG.warn("Stream {}: its configuration now names the id '{}'; a stream keeps its id (make a new configuration"
                    + " for another one)", id, idOf(pid, properties));
        }
        String refusal;
        try {
            // a value out of range refuses the stream, with the range, rather than starting it on defaults
            StreamConfig values = new StreamConfig(number(properties, "rate", 48000), number(properties, "channels", 6),
                    number(properties, "buffer_frames", 4096), number(properties, "volume", 80));
            refusal = hub.define(this, id, text(properties, "source", "synthetic"), values, text(properties, "pose", ""),
                    new SourceSettings(id, settings(properties)),
                    number(properties, "minReopenIntervalMs", CaptureLoop.DEFAULT_MIN_REOPEN_INTERVAL_MS));
        } catch (IllegalArgumentException e) {
            refusal = e.getMessage();
        }
        problem = refusal;
        if (refusal != null) {
            LOG.error("Configuration {}: stream '{}' not started: {}", pid, id, refusal);
        }
    }

    /** The configuration is gone: so is the stream. */
    void remove() throws InterruptedException {
        hub.definitions().remove(this);
        hub.remove(id, this);
    }

    /** The id the configuration gives, else its name: {@code io.earshot.stream~kitchen} is the stream {@code kitchen}. */
    static String idOf(String pid, Map<String, Object> properties) {
        String explicit = text(properties, "id", "");
        if (!explicit.isEmpty()) {
            return explicit;
        }
        int tilde = pid.indexOf('~');
        // io.earshot.stream~kitchen~a is FileInstall's reading of io.earshot.stream~kitchen-a.cfg
        return tilde >= 0 ? pid.substring(tilde + 1).replace('~', '-') : pid;
    }

    private static String text(Map<String, Object> properties, String key, String fallback) {
        Object value = properties.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }

    private static int number(Map<String, Object> properties, String key, int fallback) {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number");
        }
    }

    /** The keys of the configuration that are not the stream's own, as strings; too many or too long is refused. */
    static Map<String, String> settings(Map<String, Object> properties) {
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            String key = entry.getKey();
            if (NOT_SETTINGS.contains(key) || key.startsWith(".") || key.startsWith("felix.") || key.startsWith("osgi.") || entry.getValue() == null) {
                continue;
            }
            String value = String.valueOf(entry.getValue());
            if (value.length() > MAX_SETTING_CHARS) {
                throw new IllegalArgumentException("setting " + key + " is " + value.length() + " characters long, more than "
                        + MAX_SETTING_CHARS);
            }
            settings.put(key, value);
        }
        if (settings.size() > MAX_SETTINGS) {
            throw new IllegalArgumentException(settings.size() + " settings for the source, more than " + MAX_SETTINGS);
        }
        return settings;
    }

    String id() {
        return id;
    }

    String pid() {
        return pid;
    }

    String problem() {
        return problem;
    }
}
