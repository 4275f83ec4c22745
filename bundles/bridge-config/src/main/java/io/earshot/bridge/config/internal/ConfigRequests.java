package io.earshot.bridge.config.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.earshot.api.AccessControl;
import io.earshot.api.ConfigChange;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;

/**
 * Turns one config message into an answer. Accepts easy-dsp's JSON ({@code rate},
 * {@code channels}, {@code buffer_frames}, {@code volume}; keys left out keep their value) and
 * refuses everything else with a reason, leaving the stream as it was. A refusal is answered at
 * once; an accepted change when the stream has reopened with it (the hub merges changes that come
 * faster than it reopens, so the answer carries the config applied to all of them).
 */
final class ConfigRequests {

    /** Longest message taken, in characters: a full config is under 100. */
    static final int MAX_MESSAGE_CHARS = 4096;
    static final String TOKEN_KEY = "token";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamControl stream;
    private final AccessControl access;
    private final boolean tokenRequired;

    /**
     * @param tokenRequired false only for the classic port, whose easy-dsp clients send no token
     */
    ConfigRequests(StreamControl stream, AccessControl access, boolean tokenRequired) {
        this.stream = stream;
        this.access = access;
        this.tokenRequired = tokenRequired;
    }

    /**
     * The JSON answer to {@code message}, from a connection that did or did not present the
     * token; a message may carry it itself as {@code "token"} (easy-dsp clients cannot add it to
     * their connection).
     */
    CompletionStage<String> answer(String message, boolean connectedWithToken) {
        if (message.length() > MAX_MESSAGE_CHARS) {
            return refused("message of " + message.length() + " characters is too long; the limit is " + MAX_MESSAGE_CHARS);
        }
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return refused("malformed JSON: " + e.getOriginalMessage()
                    + "; send an object such as {\"rate\":48000,\"channels\":6,\"buffer_frames\":4096,\"volume\":80}");
        }
        if (root == null || !root.isObject()) {
            return refused("expected a JSON object with any of the keys " + String.join(", ", StreamConfig.KEYS));
        }
        boolean withToken = root.hasNonNull(TOKEN_KEY) ? access.permits(root.get(TOKEN_KEY).asText()) : connectedWithToken;
        if (tokenRequired && !withToken) {
            return refused("changing the configuration needs the access token: connect with ?token=<token>"
                    + " or add \"token\" to the message (the token is printed when Earshot starts and kept in data/token)");
        }
        StreamConfig checked = stream.current(); // each value checked as it comes, the first mistake reported
        Map<String, Integer> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.equals(TOKEN_KEY)) {
                continue;
            }
            if (!StreamConfig.KEYS.contains(key)) {
                return refused("unknown key '" + key + "'; allowed: " + String.join(", ", StreamConfig.KEYS));
            }
            Integer value = wholeNumber(field.getValue());
            if (value == null) {
                return refused(key + " must be a whole number, got " + field.getValue());
            }
            try {
                checked = checked.with(key, value);
            } catch (IllegalArgumentException e) {
                return refused(e.getMessage());
            }
            values.put(key, value);
        }
        return stream.requestChange(values).thenApply(ConfigRequests::toJson);
    }

    /** A JSON integer, or a string of digits (some easy-dsp clients send form values as strings). */
    private static Integer wholeNumber(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isNumber() && node.canConvertToInt() && node.doubleValue() == Math.rint(node.doubleValue())) {
            return node.intValue();
        }
        if (node.isTextual() && node.textValue().trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(node.textValue().trim());
        }
        return null;
    }

    private CompletionStage<String> refused(String reason) {
        return CompletableFuture.completedFuture(toJson(ConfigChange.refused(stream.current(), reason)));
    }

    static String toJson(ConfigChange change) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("ok", change.applied());
        if (!change.applied()) {
            answer.put("error", change.error());
        }
        StreamConfig config = change.config();
        answer.putObject("config")
                .put("buffer_frames", config.bufferFrames())
                .put("rate", config.rate())
                .put("channels", config.channels())
                .put("volume", config.volume());
        return answer.toString();
    }
}
