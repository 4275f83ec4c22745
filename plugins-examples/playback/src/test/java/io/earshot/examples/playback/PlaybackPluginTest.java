package io.earshot.examples.playback;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;

public class PlaybackPluginTest {

    @Test
    public void takesTheTwoChosenChannelsInOrder() {
        StreamConfig six = new StreamConfig(16000, 6, 3, 80);
        short[] samples = new short[18];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (10 * (i / 6) + i % 6); // frame*10 + channel
        AudioBuffer stereo = PlaybackPlugin.stereo(new AudioBuffer(six, 7, 99, samples), 4, 1);
        assertEquals(2, stereo.channels());
        assertEquals(16000, stereo.config().rate());
        assertEquals(7, stereo.sequence());
        assertEquals(24, stereo.sample(2, 0));
        assertEquals(21, stereo.sample(2, 1));
        assertEquals("a channel past the last plays the last", 5,
                PlaybackPlugin.stereo(new AudioBuffer(six, 0, 0, samples), 9, 0).sample(0, 0));
    }
}
