package io.earshot.examples.beamformer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.earshot.examples.doa.Geometry;

public class MvdrTest {

    private static final int RATE = 48000;
    private static final int N = 4096;

    private static double power(float[] x, double f) {
        double re = 0, im = 0;
        for (int i = 512; i < N - 512; i++) {
            re += x[i] * Math.cos(2 * Math.PI * f * i / RATE);
            im += x[i] * Math.sin(2 * Math.PI * f * i / RATE);
        }
        return re * re + im * im;
    }

    /** A 3 kHz tone from 30 degrees and a 4.5 kHz interferer from 120 degrees. */
    private static float[][] scene(Geometry g) {
        float[][] x = new float[g.size()][N];
        for (int m = 0; m < g.size(); m++) {
            double leadA = g.lead(m, Math.toRadians(30), 343), leadB = g.lead(m, Math.toRadians(120), 343);
            for (int i = 0; i < N; i++) {
                double t = (double) i / RATE;
                x[m][i] = (float) (0.3 * Math.sin(2 * Math.PI * 3000 * (t + leadA)) + 0.3 * Math.sin(2 * Math.PI * 4500 * (t + leadB)));
            }
        }
        return x;
    }

    @Test
    public void mvdrNullsTheInterfererFarMoreThanDelayAndSum() {
        Geometry g = Geometry.standard(6, 0.0625);
        float[][] x = scene(g);
        float[] das = new DelayAndSum(g, N, RATE, 343).steer(x, 30);
        float[] mvdr = new Mvdr(g, 512, RATE, 343, 0.01).steer(x, 30);
        double dasRatio = 10 * Math.log10(power(das, 3000) / power(das, 4500));
        double mvdrRatio = 10 * Math.log10(power(mvdr, 3000) / power(mvdr, 4500));
        assertTrue("delay-and-sum favours the target by " + dasRatio + " dB, MVDR by " + mvdrRatio, mvdrRatio > dasRatio + 10);
        // and the target passes undistorted: the same 3 kHz power as one mic hears it
        assertEquals("target gain, dB", 0, 10 * Math.log10(power(mvdr, 3000) / power(x[0], 3000)), 1.0);
    }
}
