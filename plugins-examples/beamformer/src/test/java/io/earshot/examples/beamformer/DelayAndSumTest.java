package io.earshot.examples.beamformer;

import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.earshot.examples.doa.Geometry;

public class DelayAndSumTest {

    private static final int RATE = TwoSources.RATE;
    private static final int N = TwoSources.N;



    @Test
    public void steeringTowardsASourceFavoursItOverTheOther() {
        Geometry g = Geometry.standard(6, 0.0625);
        float[][] x = TwoSources.record(g, 30, 120);
        DelayAndSum das = new DelayAndSum(g, N, RATE, 343);
        double single = 10 * Math.log10(TwoSources.power(x[0], 3000) / TwoSources.power(x[0], 4500));
        double towardsA = 10 * Math.log10(TwoSources.power(das.steer(x, 30), 3000) / TwoSources.power(das.steer(x, 30), 4500));
        double towardsB = 10 * Math.log10(TwoSources.power(das.steer(x, 120), 3000) / TwoSources.power(das.steer(x, 120), 4500));
        assertTrue("one mic hears both alike: " + single, Math.abs(single) < 1);
        assertTrue("the beam towards 30 degrees favours the 3 kHz source by " + towardsA + " dB", towardsA > 6);
        assertTrue("the beam towards 120 degrees favours the 4.5 kHz source by " + -towardsB + " dB", towardsB < -6);
    }

    @Test
    public void aSourceInTheBeamPassesUnchanged() {
        Geometry g = Geometry.standard(6, 0.0625);
        float[][] x = new float[6][N];
        for (int m = 0; m < 6; m++) {
            double lead = g.lead(m, Math.toRadians(100), 343);
            for (int i = 0; i < N; i++) x[m][i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * ((double) i / RATE + lead)));
        }
        float[] beam = new DelayAndSum(g, N, RATE, 343).steer(x, 100);
        double max = 0;
        for (int i = 512; i < N - 512; i++) max = Math.max(max, Math.abs(beam[i]));
        assertTrue("amplitude in the beam: " + max, Math.abs(max - 0.5) < 0.02);
    }
}
