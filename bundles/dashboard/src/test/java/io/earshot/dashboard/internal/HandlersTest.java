package io.earshot.dashboard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Before;
import org.junit.Test;

import io.earshot.api.AudioBuffer;
import io.earshot.api.Handler;
import io.earshot.api.HandlerType;
import io.earshot.api.StreamConfig;
import io.earshot.api.results.HandlerDataListener;
import io.earshot.api.status.HandlerInfo;

public class HandlersTest {

    /** A type that wants {"n": whole number} as params and a number no larger than n as data. */
    static final class Counter implements HandlerType {
        @Override public List<String> types() { return List.of("test:counter"); }
        @Override public String rendererPath() { return "/handlers/test/renderer.js"; }
        @Override public Optional<String> checkParams(String type, Map<String, Object> params) {
            return params.get("n") instanceof Integer ? Optional.empty() : Optional.of("n must be a whole number");
        }
        @Override public Optional<String> checkData(String type, Map<String, Object> params, Object data) {
            return data instanceof Number v && v.intValue() <= (Integer) params.get("n")
                    ? Optional.empty() : Optional.of("data must be a number up to " + params.get("n"));
        }
    }

    private final Handlers handlers = new Handlers(new Browsers());
    private final Counter counter = new Counter();
    private final Object plugin = new Object();

    @Before
    public void installType() {
        handlers.addType(counter);
    }

    private static String refusal(Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    public void createsChecksAndKeepsTheLastData() {
        HandlerEntry handler = handlers.create(plugin, 7, "plugin [7]", "count", "test:counter", Map.of("n", 10));
        assertEquals("h1", handler.id());
        assertNull(handler.lastDataJson());
        handler.send(3);
        handler.send(List.of(4).get(0));
        assertEquals("4", handler.lastDataJson());
        assertEquals("data for 'count' (test:counter): data must be a number up to 10", refusal(() -> handler.send(11)));
        assertEquals("the last good data stays", "4", handler.lastDataJson());
    }

    @Test
    public void dataListenersGetEachAcceptedDataAndTheRemovalWhileAThrowingOneIsContained() {
        List<String> seen = new java.util.ArrayList<>();
        handlers.addDataListener(new HandlerDataListener() {
            @Override public void data(HandlerInfo handler, String json) { throw new IllegalStateException("broken listener"); }
            @Override public void removed(HandlerInfo handler) { throw new IllegalStateException("broken listener"); }
        });
        handlers.addDataListener(new HandlerDataListener() {
            @Override public void data(HandlerInfo handler, String json) { seen.add(handler.name() + "=" + json); }
            @Override public void removed(HandlerInfo handler) { seen.add(handler.name() + " removed"); }
        });
        HandlerEntry handler = handlers.create(plugin, 7, "plugin [7]", "count", "test:counter", Map.of("n", 10));
        handler.send(3);
        refusal(() -> handler.send(11));
        handler.close();
        assertEquals(List.of("count=3", "count removed"), seen);
        assertEquals(2L, ((Map<?, ?>) ((Map<?, ?>) handlers.status()).get("data_listeners")).get("failures"));
    }

    @Test
    public void refusesUnknownTypesAndBadParamsWithReasons() {
        assertEquals("unknown handler type 'base:graph:line'; installed: [test:counter]",
                refusal(() -> handlers.create(plugin, 7, "p", "x", "base:graph:line", Map.of())));
        assertEquals("handler 'x' (test:counter): n must be a whole number",
                refusal(() -> handlers.create(plugin, 7, "p", "x", "test:counter", Map.of("n", "ten"))));
        assertEquals("a handler needs a name of 1..200 characters",
                refusal(() -> handlers.create(plugin, 7, "p", " ", "test:counter", Map.of("n", 1))));
        assertEquals(3L, ((Map<?, ?>) handlers.status()).get("refused_creates"));
    }

    @Test
    public void limitsHandlersPerPluginAndDataSize() {
        for (int i = 0; i < Handlers.MAX_HANDLERS_PER_OWNER; i++) {
            handlers.create(plugin, 7, "p", "h" + i, "test:counter", Map.of("n", 1));
        }
        assertEquals("p already has 64 handlers, the most one plugin may have",
                refusal(() -> handlers.create(plugin, 7, "p", "one more", "test:counter", Map.of("n", 1))));
        handlers.create(new Object(), 8, "other", "theirs", "test:counter", Map.of("n", 1)); // another plugin still can
        Handler handler = handlers.create(new Object(), 8, "big", "big", "test:counter", Map.of("n", 1));
        String huge = "x".repeat(DashboardMessages.MAX_DATA_BYTES);
        assertTrue(refusal(() -> handler.send(huge)).endsWith("allowed: at most 1048576"));
    }

    @Test
    public void handlersGoWithTheirPluginAndWithTheirType() {
        HandlerEntry mine = handlers.create(plugin, 7, "p", "mine", "test:counter", Map.of("n", 1));
        HandlerEntry theirs = handlers.create(new Object(), 8, "q", "theirs", "test:counter", Map.of("n", 1));
        handlers.removeOwnedBy(plugin);
        assertTrue(mine.isClosed());
        try {
            mine.send(1);
            fail("a removed handler took data");
        } catch (IllegalStateException expected) {
            assertEquals("handler 'mine' (h1) is closed", expected.getMessage());
        }
        assertEquals(1, ((List<?>) ((Map<?, ?>) handlers.status()).get("handlers")).size());
        handlers.removeType(counter);
        assertTrue("the type's bundle stopped: its handlers went", theirs.isClosed());
        assertTrue(((List<?>) ((Map<?, ?>) handlers.status()).get("handlers")).isEmpty());
    }

    @Test
    public void audioOnlyForTypesThatPlayIt() {
        HandlerEntry handler = handlers.create(plugin, 7, "p", "count", "test:counter", Map.of("n", 1));
        AudioBuffer audio = new AudioBuffer(new StreamConfig(16000, 1, 4, 100), 0, 0, new short[4]);
        assertEquals("handler 'count' is a test:counter, which does not play audio", refusal(() -> handler.sendAudio(audio)));
    }
}
