package io.earshot.examples.beamformer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.earshot.examples.doa.Geometry;

public class MvdrTest {

    private static final int RATE = TwoSources.RATE;
    private static final int N = TwoSources.N;

    @Test
    public void mvdrNullsTheInterfererFarMoreThanDelayAndSum() {
        Geometry g = Geometry.standard(6, 0.0625);
        float[][] x = TwoSources.record(g, 30, 120);
        float[] das = new DelayAndSum(g, N, RATE, 343).steer(x, 30);
        float[] mvdr = new Mvdr(g, 512, RATE, 343, 0.01).steer(x, 30);
        double dasRatio = 10 * Math.log10(TwoSources.power(das, 3000) / TwoSources.power(das, 4500));
        double mvdrRatio = 10 * Math.log10(TwoSources.power(mvdr, 3000) / TwoSources.power(mvdr, 4500));
        assertTrue("delay-and-sum favours the target by " + dasRatio + " dB, MVDR by " + mvdrRatio, mvdrRatio > dasRatio + 10);
        // and the target passes undistorted: the same 3 kHz power as one mic hears it
        assertEquals("target gain, dB", 0, 10 * Math.log10(TwoSources.power(mvdr, 3000) / TwoSources.power(x[0], 3000)), 1.0);
    }
}
