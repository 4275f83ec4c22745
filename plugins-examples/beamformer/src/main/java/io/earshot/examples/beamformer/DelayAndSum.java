package io.earshot.examples.beamformer;

import org.jtransforms.fft.DoubleFFT_1D;

import io.earshot.examples.doa.Geometry;

/**
 * Delay-and-sum in the frequency domain: each channel's spectrum is turned back by the phase of
 * its lead for the steering azimuth (exact fractional delays), the channels are averaged, and
 * the sum is transformed back. Sound from that azimuth adds in phase; sound from elsewhere
 * partly cancels. One whole buffer per transform. Not thread-safe.
 */
final class DelayAndSum {

    private final Geometry geometry;
    private final int size;
    private final int rate;
    private final double speedOfSound;
    private final DoubleFFT_1D fft;
    private final double[] work;
    private final double[] sum;

    DelayAndSum(Geometry geometry, int size, int rate, double speedOfSound) {
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        this.geometry = geometry;
        this.size = size;
        this.rate = rate;
        this.speedOfSound = speedOfSound;
        this.fft = new DoubleFFT_1D(size);
        this.work = new double[size];
        this.sum = new double[size];
    }

    /** The beam towards {@code azimuthDeg} (counter-clockwise from mic 0), {@code size} samples. */
    float[] steer(float[][] channels, double azimuthDeg) {
        java.util.Arrays.fill(sum, 0);
        double azimuth = Math.toRadians(azimuthDeg);
        double binHz = (double) rate / size;
        for (int m = 0; m < channels.length; m++) {
            for (int i = 0; i < size; i++) work[i] = i < channels[m].length ? channels[m][i] : 0;
            fft.realForward(work);
            double lead = geometry.lead(m, azimuth, speedOfSound);
            sum[0] += work[0];
            sum[1] += work[1] * Math.cos(-2 * Math.PI * (size / 2) * binHz * lead);
            for (int k = 1; k < size / 2; k++) {
                double phase = -2 * Math.PI * k * binHz * lead;
                double c = Math.cos(phase), s = Math.sin(phase);
                double re = work[2 * k], im = work[2 * k + 1];
                sum[2 * k] += re * c - im * s;
                sum[2 * k + 1] += re * s + im * c;
            }
        }
        for (int i = 0; i < size; i++) sum[i] /= channels.length;
        fft.realInverse(sum, true);
        float[] beam = new float[size];
        for (int i = 0; i < size; i++) beam[i] = (float) sum[i];
        return beam;
    }
}
