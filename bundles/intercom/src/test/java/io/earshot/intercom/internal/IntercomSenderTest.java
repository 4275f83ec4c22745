package io.earshot.intercom.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.Test;

import io.earshot.api.AudioClip;
import io.earshot.api.StreamConfig;
import io.earshot.http.json.Refusal;

public class IntercomSenderTest {

    /** 3 channels, 100 frames: sample = frame * 10 + channel, negative on odd frames. */
    private static AudioClip clip() {
        short[] samples = new short[300];
        for (int f = 0; f < 100; f++) {
            for (int c = 0; c < 3; c++) samples[f * 3 + c] = (short) ((f % 2 == 0 ? 1 : -1) * (f * 10 + c));
        }
        return new AudioClip(new StreamConfig(16000, 3, 50, 80), 5, 0, samples);
    }

    @Test
    public void allChannelsGiveTheSameWavAsTheApiWrites() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        clip().writeWav(expected);
        assertArrayEquals(expected.toByteArray(), IntercomSender.wav(clip(), new int[] {0, 1, 2}));
    }

    @Test
    public void theChannelsNamedComeInTheirOrder() throws Exception {
        byte[] wav = IntercomSender.wav(clip(), new int[] {2, 0});
        try (AudioInputStream audio = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            assertEquals(2, audio.getFormat().getChannels());
            assertEquals(16000, (int) audio.getFormat().getSampleRate());
            assertEquals(100, audio.getFrameLength());
            ByteBuffer pcm = ByteBuffer.wrap(audio.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int f = 0; f < 100; f++) {
                int sign = f % 2 == 0 ? 1 : -1;
                assertEquals(sign * (f * 10 + 2), pcm.getShort());
                assertEquals(sign * (f * 10), pcm.getShort());
            }
        }
    }

    @Test
    public void aChannelTheClipLostToAConfigChangeIsRefused() {
        Refusal refusal = assertThrows(Refusal.class, () -> IntercomSender.wav(clip(), new int[] {3}));
        assertEquals(409, refusal.status());
        assertTrue(refusal.getMessage(), refusal.getMessage().contains("changed to 3 channels while recording"));
    }

    @Test
    public void channelsAreTypedAsNumbersWithCommas() throws Exception {
        assertArrayEquals(new int[] {0, 4, 1}, IntercomSender.parseChannels("0, 4,1"));
        assertEquals(400, assertThrows(Refusal.class, () -> IntercomSender.parseChannels("0-3")).status());
        assertEquals(400, assertThrows(Refusal.class, () -> IntercomSender.parseChannels("")).status());
    }
}
