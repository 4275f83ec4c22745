package io.earshot.ingest.browser.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.ZonedDateTime;

import org.junit.Test;

public class TalkNamesTest {

    private static final ZonedDateTime TIME = ZonedDateTime.parse("2026-12-07T16:30:05Z");
    /** What the recordings folder takes: RecordingNames' rule. */
    private static final String RECORDING = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

    private static String file(String name) {
        String recording = TalkNames.recording(name, TIME, "0a1b2c");
        assertTrue(recording, recording.matches(RECORDING));
        assertTrue(recording, !recording.matches(".*-\\d{3}"));
        return recording;
    }

    @Test
    public void hostileNamesGiveFileNamesTheRecordingsFolderTakes() {
        assertEquals("talk-Ann-20261207-163005-0a1b2c", file("Ann"));
        assertEquals("talk-etc-passwd-20261207-163005-0a1b2c", file("../../etc/passwd"));
        assertEquals("talk-C-Windows-x-20261207-163005-0a1b2c", file("C:\\Windows\\x"));
        assertEquals("talk-a-b-c-20261207-163005-0a1b2c", file("a\u0000b\nc\u007f"));
        assertEquals("talk-Zoe-Francois-20261207-163005-0a1b2c", file("Zoë François"));
        String long10k = file("x".repeat(10_000));
        assertEquals("talk-" + "x".repeat(TalkNames.MAX_SLUG) + "-20261207-163005-0a1b2c", long10k);
        file("-".repeat(5000) + "😀".repeat(3000));
        file("..");
        file("room-101");
    }

    @Test
    public void aNameWithNothingLatinKeepsADigestOfItsOwn() {
        String japanese = file("日本語");
        String emoji = file("🎤🎤");
        assertTrue(japanese, japanese.startsWith("talk-u"));
        assertNotEquals(japanese, emoji);
        assertEquals(japanese, file("日本語"));
    }

    @Test
    public void theShownNameLosesControlCharactersAndIsBounded() {
        assertEquals("ab c", TalkNames.shown("a\u0000b\u202e c\n"));
        assertEquals(TalkNames.MAX_SHOWN + 1, TalkNames.shown("é".repeat(10_000)).codePointCount(0, TalkNames.MAX_SHOWN + 1));
        assertEquals("日本語 🎤", TalkNames.shown("日本語 🎤"));
    }
}
