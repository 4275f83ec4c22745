package io.earshot.dashboard.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.AudioBuffer;

/**
 * The {@code /ws/ui} messages (see docs/architecture.md), and the checks of what a plugin hands
 * over before it becomes one: parameters and data are plain JSON of a bounded size.
 */
final class DashboardMessages {

    static final int MAX_PARAMS_BYTES = 64 * 1024;
    static final int MAX_DATA_BYTES = 1024 * 1024;
    static final int MAX_AUDIO_SAMPLES = 48 * 96_000;
    /** The audio header before the id: ES01's 24 bytes, then rate, channels, id length. */
    static final int AUDIO_HEADER_BYTES = 24 + 12;

    private final ObjectMapper json = new ObjectMapper();

    /** Data in the plain-JSON form a type checks, and its text as sent. */
    record Data(Object value, String json) {
    }

    /** Parameters as plain JSON (maps, lists, strings, numbers), at most {@link #MAX_PARAMS_BYTES}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> params(Map<String, ?> raw) {
        if (raw == null) {
            return Map.of();
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameters cannot be written as JSON: " + e.getOriginalMessage());
        }
        if (bytes.length > MAX_PARAMS_BYTES) {
            throw new IllegalArgumentException("parameters take " + bytes.length + " bytes as JSON; allowed: at most " + MAX_PARAMS_BYTES);
        }
        try {
            return json.readValue(bytes, Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("parameters cannot be read back as JSON: " + e.getMessage());
        }
    }

    /** A handler's data as plain JSON, at most {@link #MAX_DATA_BYTES} characters. */
    Data data(String handlerName, Object data) {
        Object value;
        String text;
        try {
            // the plain-JSON form the type checks, built without printing and parsing text
            value = json.convertValue(data, Object.class);
            text = json.writeValueAsString(value);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new IllegalArgumentException("data for '" + handlerName + "' cannot be written as JSON: " + e.getMessage());
        }
        if (text.length() > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("data for '" + handlerName + "' takes " + text.length()
                    + " characters as JSON; allowed: at most " + MAX_DATA_BYTES);
        }
        return new Data(value, text);
    }

    String dataMessage(String id, String dataJson) {
        return "{\"data\":{\"id\":\"" + id + "\",\"data\":" + dataJson + "}}";
    }

    String types(List<Map<String, Object>> types) {
        return text(Map.of("types", types));
    }

    String handlers(List<Map<String, Object>> handlers) {
        return text(Map.of("handlers", handlers));
    }

    String add(Map<String, Object> handler) {
        return text(Map.of("add", handler));
    }

    String remove(String id) {
        return text(Map.of("remove", id));
    }

    /**
     * Binary message: the audio framing of {@code /ws/audio?header=1} ({@code ES01}, int32 header
     * length, int64 sequence, int64 capture time), its header extended by int32 rate, int32
     * channels, int32 id length and the handler's id (UTF-8), padded to 4 bytes; then the samples
     * (S16LE interleaved), all little-endian. Read-only, shared by every browser.
     */
    ByteBuffer audio(String id, AudioBuffer audio) {
        if (audio.config().samplesPerBuffer() > MAX_AUDIO_SAMPLES) {
            throw new IllegalArgumentException("audio buffers of at most " + MAX_AUDIO_SAMPLES + " samples can be sent");
        }
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        int headerLength = (AUDIO_HEADER_BYTES + idBytes.length + 3) & ~3;
        ByteBuffer message = ByteBuffer.allocate(headerLength + audio.config().bytesPerBuffer()).order(ByteOrder.LITTLE_ENDIAN);
        message.put((byte) 'E').put((byte) 'S').put((byte) '0').put((byte) '1');
        message.putInt(headerLength).putLong(audio.sequence()).putLong(audio.captureNanos());
        message.putInt(audio.config().rate()).putInt(audio.channels()).putInt(idBytes.length).put(idBytes);
        message.position(headerLength);
        audio.writeLittleEndian(message);
        message.flip();
        return message.asReadOnlyBuffer();
    }

    String text(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
