package io.earshot.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;

public class StreamFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "earshot/board";

    private final HandlerFeedTest.Wire wire = new HandlerFeedTest.Wire();
    private final List<String> subscriptions = new ArrayList<>();
    private final FakeStream main = new FakeStream("main", StreamConfig.DEFAULT);
    private final FakeStream second = new FakeStream("array-2", new StreamConfig(16000, 4, 1600, 80));

    private StreamFeed feed(boolean commands, boolean homeAssistant) {
        return new StreamFeed(new Topics(PREFIX), "Board", commands, homeAssistant, new Outbox(wire, 1000), () -> wire.connected,
                new StreamFeed.Subscriber() {
                    @Override public void subscribe(String topic) { subscriptions.add("+" + topic); }

                    @Override public void unsubscribe(String topic) { subscriptions.add("-" + topic); }
                });
    }

    private static Map<String, StreamControl> streams(StreamControl... controls) {
        Map<String, StreamControl> all = new LinkedHashMap<>();
        for (StreamControl control : controls) all.put(control.stream(), control);
        return all;
    }

    /** The hub's status of each stream, as /api/status says it under streams. */
    private static Map<String, Object> hub(String... ids) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (String id : ids) {
            all.put(id, Map.of("source", Map.of("id", "synthetic", "selected", "synthetic", "label", "Simulated " + id),
                    "capture", Map.of("state", "running")));
        }
        return all;
    }

    private List<String> sentSince(int from) {
        List<String> sent = wire.sent();
        return sent.subList(from, sent.size());
    }

    private JsonNode last(String topic) throws Exception {
        List<String> sent = wire.sent();
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).startsWith(topic + "=")) {
                return JSON.readTree(sent.get(i).substring(topic.length() + 1).replace(" (retained)", ""));
            }
        }
        throw new AssertionError("nothing on " + topic + " in " + sent);
    }

    @Test
    public void everyStreamGetsItsOwnRetainedStatusSensorsAndCommands() throws Exception {
        StreamFeed feed = feed(true, true);
        feed.sync(streams(main, second));
        assertEquals(List.of("+" + PREFIX + "/main/config/set", "+" + PREFIX + "/array-2/config/set"), subscriptions);
        feed.publish(hub("main", "array-2"));
        JsonNode mainStatus = last(PREFIX + "/main/status");
        assertEquals("main", mainStatus.path("stream").asText());
        assertEquals(48000, mainStatus.at("/config/rate").asInt());
        assertEquals("running", mainStatus.path("state").asText());
        assertEquals("Simulated main", mainStatus.at("/source/label").asText());
        assertTrue(mainStatus.path("commands").asBoolean());
        JsonNode secondStatus = last(PREFIX + "/array-2/status");
        assertEquals("array-2", secondStatus.path("stream").asText());
        assertEquals(16000, secondStatus.at("/config/rate").asInt());
        assertEquals(4, secondStatus.at("/config/channels").asInt());
        assertEquals("Simulated array-2", secondStatus.at("/source/label").asText());
        assertTrue(wire.sent().stream().anyMatch(m -> m.startsWith(PREFIX + "/array-2/status=") && m.endsWith(" (retained)")));

        // the same again: nothing; one stream changed: only its status
        int before = wire.sent().size();
        feed.publish(hub("main", "array-2"));
        assertEquals(List.of(), sentSince(before));
        second.config = new StreamConfig(8000, 4, 1600, 80);
        feed.publish(hub("main", "array-2"));
        assertEquals(1, sentSince(before).size());
        assertEquals(8000, last(PREFIX + "/array-2/status").at("/config/rate").asInt());
        assertEquals(48000, last(PREFIX + "/main/status").at("/config/rate").asInt());

        // the commands of a topic go to its own stream's control
        assertSame(second, feed.control("array-2"));
        assertSame(main, feed.control("main"));
        assertNull(feed.control("nowhere"));
        assertNull(feed.control(null));
        assertEquals(List.of("main", "array-2"), feed.streams());
    }

    @Test
    public void homeAssistantSeesEachStreamsSensorsMainsAsBefore() throws Exception {
        StreamFeed feed = feed(false, true);
        feed.sync(streams(main, second));
        assertEquals("no commands, no subscriptions", List.of(), subscriptions);
        JsonNode mainRate = last("homeassistant/sensor/earshot_board_main_rate/config");
        assertEquals("Sample rate", mainRate.path("name").asText());
        assertEquals("earshot_board_main_rate", mainRate.path("unique_id").asText());
        assertEquals(PREFIX + "/main/status", mainRate.path("state_topic").asText());
        assertEquals(PREFIX + "/availability", mainRate.path("availability_topic").asText());
        JsonNode secondRate = last("homeassistant/sensor/earshot_board_array-2_rate/config");
        assertEquals("Sample rate (array-2)", secondRate.path("name").asText());
        assertEquals("earshot_board_array-2_rate", secondRate.path("unique_id").asText());
        assertEquals(PREFIX + "/array-2/status", secondRate.path("state_topic").asText());
        assertEquals("one device, the board", mainRate.path("device"), secondRate.path("device"));
        assertEquals(2 * StreamFeed.SENSORS.length, wire.sent().size());
    }

    @Test
    public void aStreamGoneHasItsRetainedTopicsClearedAndItsCommandsUnsubscribed() {
        StreamFeed feed = feed(true, true);
        feed.sync(streams(main, second));
        feed.publish(hub("main", "array-2"));
        int before = wire.sent().size();
        subscriptions.clear();
        feed.sync(streams(main));
        assertEquals(List.of("-" + PREFIX + "/array-2/config/set"), subscriptions);
        List<String> clears = sentSince(before);
        assertEquals(List.of(PREFIX + "/array-2/status= (retained)",
                "homeassistant/sensor/earshot_board_array-2_state/config= (retained)",
                "homeassistant/sensor/earshot_board_array-2_source/config= (retained)",
                "homeassistant/sensor/earshot_board_array-2_rate/config= (retained)",
                "homeassistant/sensor/earshot_board_array-2_channels/config= (retained)"), clears);
        assertNull(feed.control("array-2"));
        assertEquals(List.of("main"), feed.streams());
        assertEquals(0, feed.pendingClears());
        // main untouched, and a stream gone is not published again
        before = wire.sent().size();
        feed.publish(hub("main"));
        assertEquals(List.of(), sentSince(before));
    }

    @Test
    public void aStreamGoneWhileTheBrokerIsAwayIsClearedOnceItIsBack() throws Exception {
        StreamFeed feed = feed(false, false);
        wire.connected = false;
        feed.sync(streams(main, second));
        feed.publish(hub("main", "array-2"));
        feed.sync(streams(main));
        assertEquals(List.of(), wire.sent());
        assertEquals(1, feed.pendingClears());
        wire.connected = true;
        feed.connected();
        feed.publish(hub("main"));
        assertEquals(List.of(PREFIX + "/array-2/status= (retained)"),
                wire.sent().stream().filter(m -> m.contains("array-2")).toList());
        assertEquals(0, feed.pendingClears());
        assertEquals("main", last(PREFIX + "/main/status").path("stream").asText());

        // one that comes back before it could be cleared is published, not cleared
        wire.connected = false;
        feed.sync(streams(main, second));
        feed.sync(streams(main));
        feed.sync(streams(main, second));
        assertEquals(0, feed.pendingClears());
        wire.connected = true;
        int before = wire.sent().size();
        feed.connected();
        feed.publish(hub("main", "array-2"));
        assertEquals(List.of(PREFIX + "/main/status", PREFIX + "/array-2/status"),
                sentSince(before).stream().map(m -> m.substring(0, m.indexOf('='))).toList());
    }

    @Test
    public void aConnectSendsEveryStatusAgainAndAStreamWithoutHubStatusStillHasItsConfig() throws Exception {
        StreamFeed feed = feed(true, false);
        feed.sync(streams(main, second));
        feed.publish(null);
        JsonNode bare = last(PREFIX + "/array-2/status");
        assertEquals("synthetic", bare.at("/source/id").asText());
        assertEquals(16000, bare.at("/config/rate").asInt());
        assertTrue(bare.path("state").isNull());
        int before = wire.sent().size();
        subscriptions.clear();
        feed.connected();
        feed.publish(null);
        assertEquals(2, sentSince(before).size());
        assertEquals(List.of("+" + PREFIX + "/main/config/set", "+" + PREFIX + "/array-2/config/set"), subscriptions);
    }
}
