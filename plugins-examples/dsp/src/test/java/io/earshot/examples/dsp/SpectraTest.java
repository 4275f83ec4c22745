package io.earshot.examples.dsp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SpectraTest {

    private static float[] sine(double hz, double amplitude, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    @Test
    public void aSineShowsAtItsFrequencyWithItsLevel() {
        Spectra spectra = new Spectra(4096);
        double[] db = new double[spectra.bins()];
        spectra.magnitudeDb(sine(spectra.binHz(48000) * 85, 0.5, 48000, 4096), -120, db);
        int peak = 0;
        for (int k = 1; k < db.length; k++) if (db[k] > db[peak]) peak = k;
        assertEquals(85, peak);
        assertEquals("a sine of amplitude 0.5 is -6.02 dB", -6.02, db[peak], 0.05);
        assertTrue("far bins are far down: " + db[400], db[400] < -90);
    }

    @Test
    public void silenceReadsTheFloor() {
        Spectra spectra = new Spectra(256);
        double[] db = new double[spectra.bins()];
        spectra.magnitudeDb(new float[256], -100, db);
        for (double v : db) assertEquals(-100, v, 0);
        assertEquals(129, spectra.bins());
        assertEquals(187.5, spectra.binHz(48000), 1e-9);
    }
}
