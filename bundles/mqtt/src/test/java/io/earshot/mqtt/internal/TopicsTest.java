package io.earshot.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TopicsTest {

    @Test
    public void aHandlerNameBecomesOneLowerCaseLevel() {
        assertEquals("direction-of-arrival", Topics.level("Direction of arrival"));
        assertEquals("spectrogram-channel-0", Topics.level("Spectrogram (channel 0)"));
        assertEquals("a-b", Topics.level("--A/+#b--"));
        assertEquals("_", Topics.level("/#"));
        assertEquals("earshot/board/main/handlers/levels", new Topics("earshot/board").handler("Levels"));
    }

    @Test
    public void mainKeepsItsTopicsAndEveryStreamHasItsOwn() {
        Topics topics = new Topics("earshot/board");
        assertEquals("earshot/board/availability", topics.availability());
        assertEquals("earshot/board/main/status", topics.status("main"));
        assertEquals("earshot/board/main/config/set", topics.configSet("main"));
        assertEquals("earshot/board/main/config/result", topics.configResult("main"));
        assertEquals("earshot/board/array-2/status", topics.status("array-2"));
        assertEquals("earshot/board/array-2/config/set", topics.configSet("array-2"));
        assertEquals("earshot/board/array-2/config/result", topics.configResult("array-2"));
        // handlers and events name no stream: under main's, whatever streams there are
        assertEquals("earshot/board/main/events/io-earshot-doa/alarm/loud", topics.event("io.earshot.doa", "alarm/loud"));
        // Home Assistant: main's ids as before streams were plural, each stream's with its id
        assertEquals("earshot_kitchen-board_main_rate", Topics.sensorId("Kitchen Board", "main", "rate"));
        assertEquals("homeassistant/sensor/earshot_kitchen-board_array-2_rate/config",
                Topics.discovery(Topics.sensorId("Kitchen Board", "array-2", "rate")));
    }

    @Test
    public void aConfigSetTopicNamesItsStream() {
        Topics topics = new Topics("earshot/board");
        assertEquals("main", topics.configSetStream("earshot/board/main/config/set"));
        assertEquals("array-2", topics.configSetStream("earshot/board/array-2/config/set"));
        assertNull(topics.configSetStream("earshot/board/main/config/result"));
        assertNull(topics.configSetStream("earshot/other/main/config/set"));
        assertNull("two levels are no stream id", topics.configSetStream("earshot/board/a/b/config/set"));
        assertNull("not an id", topics.configSetStream("earshot/board/Kitchen/config/set"));
        assertNull(topics.configSetStream("earshot/board/config/set"));
        assertNull(topics.configSetStream("earshot/board//config/set"));
        assertNull(topics.configSetStream("earshot/boardx/config/set"));
    }

    @Test
    public void badEventTopicsAndPrefixesAreRefusedWithTheRule() {
        assertEquals("alarm/loud", Topics.checkEventTopic("alarm/loud"));
        for (String bad : new String[] {"", "a/", "/a", "a//b", "a/+", "#", "a b", "x".repeat(201)}) {
            try {
                Topics.checkEventTopic(bad);
                throw new AssertionError("taken: " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("levels of letters, digits, - and _"));
            }
        }
        assertEquals("home/earshot", Topics.checkPrefix("home/earshot"));
        for (String bad : new String[] {"", "a/", "/a", "a/#", "a/+/b"}) {
            try {
                Topics.checkPrefix(bad);
                throw new AssertionError("taken: " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("without + or #"));
            }
        }
    }
}
