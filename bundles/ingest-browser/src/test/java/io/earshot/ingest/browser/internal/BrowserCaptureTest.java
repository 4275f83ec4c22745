package io.earshot.ingest.browser.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;

import org.junit.Test;

import io.earshot.api.StreamConfig;

public class BrowserCaptureTest {

    private static final StreamConfig CONFIG = new StreamConfig(16000, 1, 160, 100); // 10 ms buffers

    static IngestConfig limits(int talkers) {
        return new IngestConfig() {
            @Override public Class<? extends Annotation> annotationType() { return IngestConfig.class; }
            @Override public int maxTalkers() { return talkers; }
            @Override public int maxTalkSeconds() { return 600; }
            @Override public int maxMessageBytes() { return 65536; }
            @Override public int idleSeconds() { return 10; }
        };
    }

    private static short[] ramp(int from, int count) {
        short[] out = new short[count];
        for (int i = 0; i < count; i++) out[i] = (short) (from + i);
        return out;
    }

    private static short[] read(BrowserCapture capture) throws InterruptedException {
        short[] into = new short[CONFIG.samplesPerBuffer()];
        capture.read(into);
        return into;
    }

    @Test
    public void silenceBetweenTalksAndATalkersSamplesOnceItsCushionIsIn() throws Exception {
        Talks talks = new Talks(null, limits(4));
        try (BrowserCapture capture = new BrowserCapture(CONFIG, talks, false, 10)) {
            assertArrayEquals(new short[160], read(capture));
            Talk ann = talks.begin("Ann", "16000", "test");
            ann.sourceRing(16000).offer(ramp(1, 200), 0, 200); // less than a buffer and the cushion (160 + 160)
            assertArrayEquals("held back until the cushion is in", new short[160], read(capture));
            ann.sourceRing(16000).offer(ramp(201, 200), 0, 200);
            assertArrayEquals(ramp(1, 160), read(capture));
            assertArrayEquals(ramp(161, 160), read(capture));
            talks.end(ann, null);
            short[] tail = read(capture); // the end is played out, then silence
            assertArrayEquals(ramp(321, 80), java.util.Arrays.copyOf(tail, 80));
            assertArrayEquals(new short[80], java.util.Arrays.copyOfRange(tail, 80, 160));
            assertTrue("an ended talk played out leaves", talks.current().isEmpty());
        }
    }

    @Test
    public void twoTalkingAtOnceAreMixedOrTheFirstIsHeardAlone() throws Exception {
        for (boolean first : new boolean[] {false, true}) {
            Talks talks = new Talks(null, limits(4));
            try (BrowserCapture capture = new BrowserCapture(CONFIG, talks, first, 0)) {
                Talk a = talks.begin("A", null, "test"), b = talks.begin("B", "16000", "test");
                a.sourceRing(16000).offer(ramp(1000, 160), 0, 160);
                b.sourceRing(16000).offer(ramp(30000, 160), 0, 160);
                short[] heard = read(capture);
                for (int i = 0; i < 160; i++) {
                    int expected = first ? 1000 + i : Math.min(Short.MAX_VALUE, 1000 + i + 30000 + i);
                    assertEquals("sample " + i + (first ? " (first come)" : " (mixed, clipped)"), expected, heard[i]);
                }
            }
        }
    }

    @Test
    public void aRingOfAnotherRateIsNotPlayedAndTooManyTalkersAreRefused() throws Exception {
        Talks talks = new Talks(null, limits(2));
        try (BrowserCapture capture = new BrowserCapture(CONFIG, talks, false, 0)) {
            Talk wide = talks.begin("W", "48000", "test");
            wide.sourceRing(48000).offer(ramp(1, 480), 0, 480); // made for a source at 48 kHz, before this one opened
            assertArrayEquals(new short[160], read(capture));
            talks.begin("X", "16000", "test");
            try {
                talks.begin("Y", "16000", "test");
                throw new AssertionError("a third talker accepted");
            } catch (Refusal r) {
                assertEquals(Refusal.TRY_LATER, r.code);
            }
            for (String bad : new String[] {"44100", "x", "-16000", ""}) {
                try {
                    talks.begin("Z", bad, "test");
                    throw new AssertionError("rate " + bad + " accepted");
                } catch (Refusal r) {
                    assertEquals(Refusal.POLICY, r.code);
                }
            }
        }
    }

    @Test
    public void endedTalksWaitingToBePlayedOutAreBoundedByTheTalkerLimit() throws Exception {
        Talks talks = new Talks(null, limits(2));
        try (BrowserCapture capture = new BrowserCapture(CONFIG, talks, false, 0)) {
            for (int i = 0; i < 10; i++) { // talks that come and go faster than the source plays them out
                Talk t = talks.begin("T" + i, "16000", "test");
                t.sourceRing(16000).offer(ramp(1, 1000), 0, 1000);
                talks.end(t, null);
            }
            assertEquals(2, talks.current().size());
            assertEquals("the newest stay", "T9", talks.current().get(1).shown);
            Talk silent = talks.begin("S", "16000", "test");
            talks.end(silent, null);
            assertEquals("a talk that sent nothing leaves at once", 2, talks.current().size());
        }
    }
}
