package io.earshot.recorder.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioClip;
import io.earshot.api.StreamConfig;

public class RecorderImplTest {

    private static final StreamConfig CONFIG = new StreamConfig(1000, 2, 100, 80);

    private static AudioBuffer buffer(long sequence) {
        short[] samples = new short[200];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (sequence * 1000 + i);
        // captured now: after any recording the test asked for
        return new AudioBuffer(CONFIG, sequence, System.currentTimeMillis() * 1_000_000L + 1_000_000L, samples);
    }

    @Test
    public void recordsTheDurationAskedAcrossBuffersAndSaysWhatWasLost() throws Exception {
        RecorderImpl recorder = new RecorderImpl();
        recorder.onConfig(CONFIG);
        AtomicReference<AudioClip> clip = new AtomicReference<>();
        recorder.record(Duration.ofMillis(250), clip::set); // 250 frames
        recorder.onBuffer(buffer(10));
        recorder.onBuffer(buffer(11));
        assertNull("not yet", clip.get());
        recorder.onBuffer(buffer(13)); // 12 was lost
        AudioClip done = clip.get();
        assertEquals(250, done.frames());
        assertEquals(10, done.firstSequence());
        assertEquals(1, done.lostBuffers());
        assertEquals(13000, done.samples()[400]); // the third buffer's first sample
        assertEquals(0.25, done.seconds(), 1e-9);

        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        done.writeWav(wav);
        ByteBuffer bytes = ByteBuffer.wrap(wav.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 250 * 2 * 2, bytes.capacity());
        assertEquals(1000, bytes.getInt(24));
        assertEquals(2, bytes.getShort(22));
        assertEquals(done.samples()[1], bytes.getShort(44 + 2));
    }

    @Test
    public void buffersCapturedBeforeTheRequestAreNotRecorded() {
        RecorderImpl recorder = new RecorderImpl();
        recorder.onConfig(CONFIG);
        AtomicReference<AudioClip> clip = new AtomicReference<>();
        recorder.record(Duration.ofMillis(100), clip::set);
        recorder.onBuffer(new AudioBuffer(CONFIG, 5, 1_000_000L, new short[200])); // captured long ago, still queued
        assertNull(clip.get());
        recorder.onBuffer(buffer(6));
        assertEquals(6, clip.get().firstSequence());
    }

    @Test
    public void aConfigChangeEndsTheClipEarly() {
        RecorderImpl recorder = new RecorderImpl();
        recorder.onConfig(CONFIG);
        AtomicReference<AudioClip> clip = new AtomicReference<>();
        recorder.record(Duration.ofSeconds(1), clip::set);
        recorder.onBuffer(buffer(0));
        recorder.onConfig(CONFIG.withChannels(4));
        assertEquals(100, clip.get().frames());
    }

    @Test
    public void refusesWhatItCannotHold() {
        RecorderImpl recorder = new RecorderImpl();
        recorder.onConfig(new StreamConfig(48000, 48, 4096, 80));
        try {
            recorder.record(Duration.ofMinutes(10), c -> { });
            fail("ten minutes of 48 channels were accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("may hold at most 33554432 (14.6 s of this stream)"));
        }
        try {
            recorder.record(Duration.ZERO, c -> { });
            fail("a zero duration was accepted");
        } catch (IllegalArgumentException e) {
            assertEquals("a recording needs a positive duration, got PT0S", e.getMessage());
        }
    }
}
