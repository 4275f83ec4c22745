package io.earshot.mqtt.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import io.earshot.api.Streams;
import io.earshot.api.results.EventPublisher;

/**
 * The topic names: {@code <prefix>/<stream>/...} for each stream's status and commands, handler
 * data and events under the main stream's (they carry no stream), and names made topic levels.
 */
final class Topics {

    /** Longest prefix taken, in characters. */
    static final int MAX_PREFIX_CHARS = 200;

    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EVENT_TOPIC = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern PREFIX = Pattern.compile("[^#+/\\u0000]+(/[^#+/\\u0000]+)*");

    private static final String CONFIG_SET = "/config/set";

    final String prefix;

    Topics(String prefix) {
        this.prefix = prefix;
    }

    /** {@code prefix} checked: levels without wildcards, not starting or ending with {@code /}. */
    static String checkPrefix(String prefix) {
        if (prefix.length() > MAX_PREFIX_CHARS || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must be 1.." + MAX_PREFIX_CHARS
                    + " characters of topic levels separated by /, without + or #, not starting or ending with /");
        }
        return prefix;
    }

    /**
     * A name as one topic level: lower case, every run of characters other than letters and
     * digits one {@code -}, none at either end ({@code Direction of arrival} is
     * {@code direction-of-arrival}); {@code _} when nothing is left.
     */
    static String level(String name) {
        String level = NOT_LETTER_OR_DIGIT.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-");
        int from = level.startsWith("-") ? 1 : 0;
        int to = level.endsWith("-") && level.length() > from ? level.length() - 1 : level.length();
        level = from >= to ? "" : level.substring(from, to);
        return level.isEmpty() ? "_" : level;
    }

    /** A plugin's event topic as it gave it, checked. */
    static String checkEventTopic(String topic) {
        if (topic == null || topic.length() > EventPublisher.MAX_TOPIC_CHARS || !EVENT_TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("event topic '" + topic + "' must be 1.." + EventPublisher.MAX_TOPIC_CHARS
                    + " characters: levels of letters, digits, - and _ separated by /");
        }
        return topic;
    }

    String availability() { return prefix + "/availability"; }

    /** {@code <prefix>/<stream>}: a stream's own topics are below it. */
    String stream(String stream) { return prefix + "/" + stream; }

    String status(String stream) { return stream(stream) + "/status"; }

    String configSet(String stream) { return stream(stream) + CONFIG_SET; }

    String configResult(String stream) { return stream(stream) + "/config/result"; }

    /**
     * The stream a {@code config/set} topic names ({@code <prefix>/<stream>/config/set}), or null
     * for any other topic; whether that stream is published is the caller's business.
     */
    String configSetStream(String topic) {
        if (topic.length() <= prefix.length() + 1 + CONFIG_SET.length() || !topic.startsWith(prefix + "/")
                || !topic.endsWith(CONFIG_SET)) {
            return null;
        }
        String stream = topic.substring(prefix.length() + 1, topic.length() - CONFIG_SET.length());
        return Streams.isValidId(stream) ? stream : null;
    }

    /**
     * A handler's data: under the main stream, as a handler belongs to a plugin's bundle and not
     * to a stream (a bundle may listen to several).
     */
    String handler(String name) { return stream(Streams.MAIN) + "/handlers/" + level(name); }

    /** A plugin's event: under the main stream, as {@link EventPublisher} names no stream. */
    String event(String plugin, String topic) { return stream(Streams.MAIN) + "/events/" + level(plugin) + "/" + topic; }

    /** Home Assistant's id of one sensor of a stream: {@code earshot_<node>_<stream>_<what>}. */
    static String sensorId(String node, String stream, String what) {
        return "earshot_" + level(node) + "_" + stream + "_" + what;
    }

    /** Where Home Assistant's discovery of that sensor is (retained; empty removes the sensor). */
    static String discovery(String sensorId) {
        return "homeassistant/sensor/" + sensorId + "/config";
    }
}
