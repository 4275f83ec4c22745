package io.earshot.bridge.config.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.AccessControl;
import io.earshot.api.ConfigChange;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;

public class ConfigRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "a-token-of-enough-length";

    /** The stream side as the hub behaves with nothing waiting: checks the capabilities, applies or refuses. */
    static final class Stream implements StreamControl {
        StreamConfig config = StreamConfig.DEFAULT;
        final SourceCapabilities caps = new SourceCapabilities(List.of(16000, 48000), List.of(1, 2, 6, 8), 64, 65536);
        final List<Map<String, Integer>> requested = new ArrayList<>();

        @Override public StreamConfig current() { return config; }
        @Override public SourceCapabilities capabilities() { return caps; }
        @Override public String sourceId() { return "test"; }
        @Override public ConfigChange change(StreamConfig wanted) {
            throw new AssertionError("the bridge names only the keys of the message, so changes waiting keep the others");
        }
        @Override public CompletionStage<ConfigChange> requestChange(Map<String, Integer> values) {
            requested.add(values);
            StreamConfig wanted = config;
            for (Map.Entry<String, Integer> value : values.entrySet()) wanted = wanted.with(value.getKey(), value.getValue());
            Optional<String> problem = caps.problemWith(wanted);
            if (problem.isPresent()) return CompletableFuture.completedFuture(ConfigChange.refused(config, problem.get()));
            config = wanted;
            return CompletableFuture.completedFuture(ConfigChange.applied(wanted));
        }
    }

    private final AccessControl access = new AccessControl() {
        @Override public boolean permits(String token) { return TOKEN.equals(token); }
        @Override public boolean openReads() { return true; }
        @Override public String refusal(String host, String origin) { return null; }
    };
    private final Stream stream = new Stream();
    private final ConfigRequests requests = new ConfigRequests(stream, access, true);

    /** The answer on a connection that presented {@code token} (the gate's verdict on it). */
    private JsonNode answer(String message, String token) throws Exception {
        return JSON.readTree(requests.answer(message, access.permits(token)).toCompletableFuture().join());
    }

    @Test
    public void keysLeftOutKeepTheirValue() throws Exception {
        JsonNode answer = answer("{\"channels\":8}", TOKEN);
        assertTrue(answer.get("ok").asBoolean());
        assertEquals("{\"buffer_frames\":4096,\"rate\":48000,\"channels\":8,\"volume\":80}", answer.get("config").toString());
        assertEquals(8, stream.config.channels());
        assertEquals(List.of(Map.of("channels", 8)), stream.requested);
    }

    @Test
    public void theTokenMayComeInTheMessage() throws Exception {
        assertTrue(answer("{\"rate\":16000,\"token\":\"" + TOKEN + "\"}", null).get("ok").asBoolean());
        assertEquals(16000, stream.config.rate());
    }

    @Test
    public void formValuesAsDigitStringsAreTaken() throws Exception {
        assertTrue(answer("{\"buffer_frames\":\"1024\"}", TOKEN).get("ok").asBoolean());
        assertEquals(1024, stream.config.bufferFrames());
    }

    @Test
    public void refusalsSayWhyAndChangeNothing() throws Exception {
        String[][] cases = {
                {"not json", "malformed JSON"},
                {"42", "expected a JSON object"},
                {"{\"rate\":true}", "rate must be a whole number, got true"},
                {"{\"rate\":null}", "rate must be a whole number"},
                {"{\"rate\":[48000]}", "rate must be a whole number"},
                {"{\"rate\":99999999999}", "rate must be a whole number"},
                {"{\"rate\":-1}", "rate must be positive"},
                {"{\"rate\":22050}", "rate 22050 is not supported; allowed: [16000, 48000]"},
                {"{\"bufferFrames\":256}", "unknown key 'bufferFrames'; allowed: rate, channels, buffer_frames, volume"},
                {"x".repeat(ConfigRequests.MAX_MESSAGE_CHARS + 1), "the limit is 4096"},
        };
        for (String[] c : cases) {
            JsonNode answer = answer(c[0], TOKEN);
            assertFalse(c[0], answer.get("ok").asBoolean());
            assertTrue(c[0] + " -> " + answer.get("error"), answer.get("error").asText().contains(c[1]));
            assertEquals(StreamConfig.DEFAULT, stream.config);
        }
        assertEquals("only the source's own refusal went to the stream", List.of(Map.of("rate", 22050)), stream.requested);
    }

    @Test
    public void withoutTheTokenNothingChanges() throws Exception {
        JsonNode answer = answer("{\"rate\":16000}", "wrong");
        assertFalse(answer.get("ok").asBoolean());
        assertTrue(answer.get("error").asText().contains("access token"));
        assertEquals(StreamConfig.DEFAULT, stream.config);
    }

    @Test
    public void theClassicPortTakesChangesWithoutAToken() throws Exception {
        ConfigRequests classic = new ConfigRequests(stream, access, false);
        assertTrue(JSON.readTree(classic.answer("{\"rate\":16000}", false).toCompletableFuture().join()).get("ok").asBoolean());
    }
}
