package io.earshot.examples.spectrum;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class BandSpectrumTest {

    @Test
    public void theBandKeepsTheToneInsideAndDropsTheOneOutside() {
        int rate = 48000;
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / rate) + 0.25 * Math.sin(2 * Math.PI * 8000 * i / rate));
        }
        BandSpectrum spectrum = new BandSpectrum(4096, 512);
        spectrum.analyse(x, rate, 300, 3400);
        int at1k = point(spectrum, 1000);
        int at8k = point(spectrum, 8000);
        assertEquals("the 1 kHz tone, about -6 dB", -6, spectrum.rawDb[at1k], 1.5);
        assertEquals("the 8 kHz tone, about -12 dB", -12, spectrum.rawDb[at8k], 1.5);
        assertEquals("kept in the band", spectrum.rawDb[at1k], spectrum.bandDb[at1k], 1e-9);
        assertEquals("dropped outside it", BandSpectrum.FLOOR_DB, spectrum.bandDb[at8k], 0);
        assertTrue(spectrum.hz[spectrum.hz.length - 1] < rate / 2.0);
    }

    private static int point(BandSpectrum spectrum, double hz) {
        int best = 0;
        for (int p = 0; p < spectrum.hz.length; p++) {
            if (Math.abs(spectrum.hz[p] - hz) < 100 && spectrum.rawDb[p] > spectrum.rawDb[best]) best = p;
        }
        return best;
    }
}
