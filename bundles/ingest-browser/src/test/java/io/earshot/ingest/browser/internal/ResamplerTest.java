package io.earshot.ingest.browser.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ResamplerTest {

    private static short[] sine(double hz, int rate, int samples, double amplitude) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        return out;
    }

    /** Amplitude of {@code hz} in {@code x} (at {@code rate}), from its middle half. */
    private static double amplitude(short[] x, double hz, int rate) {
        double re = 0, im = 0;
        int from = x.length / 4, to = 3 * x.length / 4;
        for (int i = from; i < to; i++) {
            re += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
            im += x[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(re, im) / (to - from);
    }

    @Test
    public void aToneKeepsItsPitchAndLevelUpAndDown() {
        short[] low = sine(1000, 16000, 16000, 10000);
        short[] high = new Resampler(16000, 48000).process(low, low.length);
        assertEquals(48000, high.length, 48);
        assertEquals(10000, amplitude(high, 1000, 48000), 150);
        short[] back = new Resampler(48000, 16000).process(high, high.length);
        assertEquals(16000, back.length, 16);
        assertEquals(10000, amplitude(back, 1000, 16000), 300);
    }

    @Test
    public void whatTheLowerRateCannotHoldIsFilteredOutNotFoldedIn() {
        short[] high = sine(12000, 48000, 48000, 10000); // above 16 kHz's 8 kHz: would fold to 4 kHz
        short[] low = new Resampler(48000, 16000).process(high, high.length);
        assertTrue("folded back: " + amplitude(low, 4000, 16000), amplitude(low, 4000, 16000) < 100);
    }

    @Test
    public void inPiecesItGivesWhatItGivesWhole() {
        short[] in = sine(440, 16000, 5000, 8000);
        short[] whole = new Resampler(16000, 48000).process(in, in.length);
        Resampler pieces = new Resampler(16000, 48000);
        short[] joined = new short[0];
        for (int at = 0; at < in.length; at += 333) {
            int n = Math.min(333, in.length - at);
            short[] part = pieces.process(java.util.Arrays.copyOfRange(in, at, at + n), n);
            short[] grown = java.util.Arrays.copyOf(joined, joined.length + part.length);
            System.arraycopy(part, 0, grown, joined.length, part.length);
            joined = grown;
        }
        assertArrayEquals(whole, joined);
    }
}
