package io.earshot.mqtt.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import io.earshot.api.results.EventPublisher;

/** The topic names: {@code <prefix>/<stream>/...}, and names made topic levels. */
final class Topics {

    /** Today's one stream; the several-streams work names streams by their service property. */
    static final String STREAM = "main";
    /** Longest prefix taken, in characters. */
    static final int MAX_PREFIX_CHARS = 200;

    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EVENT_TOPIC = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern PREFIX = Pattern.compile("[^#+/\\u0000]+(/[^#+/\\u0000]+)*");

    final String prefix;
    final String stream;

    Topics(String prefix, String stream) {
        this.prefix = prefix;
        this.stream = prefix + "/" + stream;
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

    String status() { return stream + "/status"; }

    String handler(String name) { return stream + "/handlers/" + level(name); }

    String event(String plugin, String topic) { return stream + "/events/" + level(plugin) + "/" + topic; }

    String configSet() { return stream + "/config/set"; }

    String configResult() { return stream + "/config/result"; }
}
