package io.earshot.examples.beamformer;

import io.earshot.examples.doa.Geometry;

/** The beamformer tests' scene: a 3 kHz tone and a 4.5 kHz tone from two directions, and the power of one frequency. */
final class TwoSources {

    static final int RATE = 48000;
    static final int N = 4096;

    private TwoSources() {
    }

    /** Each mic with its exact lead for each source. */
    static float[][] record(Geometry g, double azimuthA, double azimuthB) {
        float[][] x = new float[g.size()][N];
        for (int m = 0; m < g.size(); m++) {
            double leadA = g.lead(m, Math.toRadians(azimuthA), 343), leadB = g.lead(m, Math.toRadians(azimuthB), 343);
            for (int i = 0; i < N; i++) {
                double t = (double) i / RATE;
                x[m][i] = (float) (0.3 * Math.sin(2 * Math.PI * 3000 * (t + leadA)) + 0.3 * Math.sin(2 * Math.PI * 4500 * (t + leadB)));
            }
        }
        return x;
    }

    /** Power of the frequency f in x (a single-bin DFT over the middle of the buffer). */
    static double power(float[] x, double f) {
        double re = 0, im = 0;
        for (int i = 512; i < N - 512; i++) {
            re += x[i] * Math.cos(2 * Math.PI * f * i / RATE);
            im += x[i] * Math.sin(2 * Math.PI * f * i / RATE);
        }
        return re * re + im * im;
    }
}
