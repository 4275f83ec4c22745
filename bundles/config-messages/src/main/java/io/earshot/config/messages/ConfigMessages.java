package io.earshot.config.messages;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.earshot.api.ConfigChange;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;

/**
 * easy-dsp's config JSON ({@code rate}, {@code channels}, {@code buffer_frames}, {@code volume};
 * keys left out keep their value), checked the same way wherever it comes in, and the answer
 * {@code {"ok":..,"error":..,"config":{..}}}. Who may change the stream is the caller's business.
 */
public final class ConfigMessages {

    /** Longest message taken, in characters: a full config is under 100. */
    public static final int MAX_MESSAGE_CHARS = 4096;
    /** A message may carry the access token under this key; it is no config value. */
    public static final String TOKEN_KEY = "token";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigMessages() {
    }

    /**
     * One message read and checked against {@code current}: whether it was a JSON object (within
     * the size limit), the values it names, its token if it carries one, or the reason it is
     * refused (the first mistake found).
     */
    public record Checked(boolean object, Map<String, Integer> values, String token, String error) {
    }

    public static Checked check(String message, StreamConfig current) {
        if (message.length() > MAX_MESSAGE_CHARS) {
            return unread("message of " + message.length() + " characters is too long; the limit is " + MAX_MESSAGE_CHARS);
        }
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return unread("malformed JSON: " + e.getOriginalMessage()
                    + "; send an object such as {\"rate\":48000,\"channels\":6,\"buffer_frames\":4096,\"volume\":80}");
        }
        if (root == null || !root.isObject()) {
            return unread("expected a JSON object with any of the keys " + String.join(", ", StreamConfig.KEYS));
        }
        String token = root.hasNonNull(TOKEN_KEY) ? root.get(TOKEN_KEY).asText() : null;
        StreamConfig checked = current; // each value checked as it comes, the first mistake reported
        Map<String, Integer> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (key.equals(TOKEN_KEY)) {
                continue;
            }
            if (!StreamConfig.KEYS.contains(key)) {
                return refusal("unknown key '" + key + "'; allowed: " + String.join(", ", StreamConfig.KEYS), token);
            }
            Integer value = wholeNumber(field.getValue());
            if (value == null) {
                return refusal(key + " must be a whole number, got " + field.getValue(), token);
            }
            try {
                checked = checked.with(key, value);
            } catch (IllegalArgumentException e) {
                return refusal(e.getMessage(), token);
            }
            values.put(key, value);
        }
        return new Checked(true, values, token, null);
    }

    /** The answer to a checked message: its refusal at once, or the stream's answer to the change. */
    public static CompletionStage<String> answer(StreamControl stream, Checked checked) {
        if (checked.error() != null) {
            return refused(stream, checked.error());
        }
        return stream.requestChange(checked.values()).thenApply(ConfigMessages::toJson);
    }

    public static CompletionStage<String> refused(StreamControl stream, String reason) {
        return CompletableFuture.completedFuture(toJson(ConfigChange.refused(stream.current(), reason)));
    }

    private static Checked unread(String reason) {
        return new Checked(false, Map.of(), null, reason);
    }

    private static Checked refusal(String reason, String token) {
        return new Checked(true, Map.of(), token, reason);
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

    public static String toJson(ConfigChange change) {
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
