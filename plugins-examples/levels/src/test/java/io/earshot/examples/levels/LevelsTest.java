package io.earshot.examples.levels;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;

public class LevelsTest {

    @Test
    public void aSineReadsItsRmsAndPeakPerChannel() {
        StreamConfig config = new StreamConfig(48000, 2, 4800, 100);
        short[] samples = new short[config.samplesPerBuffer()];
        for (int f = 0; f < 4800; f++) {
            samples[2 * f] = (short) Math.round(16384 * Math.sin(2 * Math.PI * 1000 * f / 48000.0)); // amplitude 0.5
            samples[2 * f + 1] = 0;                                                                // silence
        }
        Levels levels = Levels.of(new AudioBuffer(config, 0, 0, samples));
        assertEquals("RMS of a sine of amplitude 0.5: -9.03 dBFS", -9.03, levels.rmsDb()[0], 0.01);
        assertEquals("its peak: -6.02 dBFS", -6.02, levels.peakDb()[0], 0.01);
        assertEquals(Levels.FLOOR_DB, levels.rmsDb()[1], 0);
        assertEquals(Levels.FLOOR_DB, levels.peakDb()[1], 0);
    }
}
