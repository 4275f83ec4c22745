package io.earshot.examples.doa;

import java.util.Random;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Test signals with a known answer: band-limited noise from one far-field direction, each mic
 * getting it with its exact (fractional) lead, applied as a phase shift in the frequency domain,
 * plus independent sensor noise at a given SNR.
 */
final class PlaneWave {

    private PlaneWave() {
    }

    static float[][] record(Geometry geometry, double azimuthDeg, double snrDb, int rate, int n, long seed) {
        Random random = new Random(seed);
        DoubleFFT_1D fft = new DoubleFFT_1D(n);
        double[] source = new double[n];
        for (int i = 0; i < n; i++) source[i] = random.nextGaussian();
        fft.realForward(source);
        double binHz = (double) rate / n;
        for (int k = 1; k < n / 2; k++) {
            double f = k * binHz;
            if (f < 200 || f > 4000) {
                source[2 * k] = 0;
                source[2 * k + 1] = 0;
            }
        }
        source[0] = 0;
        source[1] = 0;
        float[][] mics = new float[geometry.size()][n];
        double azimuth = Math.toRadians(azimuthDeg);
        for (int m = 0; m < geometry.size(); m++) {
            double lead = geometry.lead(m, azimuth, 343);
            double[] spectrum = source.clone();
            for (int k = 1; k < n / 2; k++) {
                double phase = 2 * Math.PI * k * binHz * lead;
                double re = spectrum[2 * k], im = spectrum[2 * k + 1];
                spectrum[2 * k] = re * Math.cos(phase) - im * Math.sin(phase);
                spectrum[2 * k + 1] = re * Math.sin(phase) + im * Math.cos(phase);
            }
            fft.realInverse(spectrum, true);
            double power = 0;
            for (double v : spectrum) power += v * v;
            double noise = Math.sqrt(power / n / Math.pow(10, snrDb / 10));
            double scale = 0.1 / Math.sqrt(power / n); // about -20 dBFS
            for (int i = 0; i < n; i++) mics[m][i] = (float) (scale * (spectrum[i] + noise * random.nextGaussian()));
        }
        return mics;
    }

    static double error(int estimateDeg, double truthDeg) {
        double d = Math.abs(estimateDeg - truthDeg) % 360;
        return Math.min(d, 360 - d);
    }
}
