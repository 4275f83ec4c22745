package io.earshot.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TopicsTest {

    @Test
    public void aHandlerNameBecomesOneLowerCaseLevel() {
        assertEquals("direction-of-arrival", Topics.level("Direction of arrival"));
        assertEquals("spectrogram-channel-0", Topics.level("Spectrogram (channel 0)"));
        assertEquals("a-b", Topics.level("--A/+#b--"));
        assertEquals("_", Topics.level("/#"));
        assertEquals("earshot/board/main/handlers/levels", new Topics("earshot/board", "main").handler("Levels"));
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
