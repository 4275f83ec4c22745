package io.earshot.examples.beamformer;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.jtransforms.fft.DoubleFFT_1D;

import io.earshot.examples.doa.Geometry;

/**
 * Minimum-variance distortionless response: per frequency, the weights that pass the steering
 * direction unchanged and minimise everything else the array hears, w = R^-1 a / (a^H R^-1 a),
 * with R each bin's spatial covariance over the buffer's frames (diagonal loading keeps it
 * invertible with few frames). Frames of {@code fftSize} with half overlap, Hann windows,
 * overlap-added back. Complex systems are solved in their real form of twice the size.
 * Not thread-safe.
 */
final class Mvdr {

    private final Geometry geometry;
    private final int fftSize;
    private final int rate;
    private final double speedOfSound;
    private final double loading;
    private final DoubleFFT_1D fft;
    private final double[] window;

    Mvdr(Geometry geometry, int fftSize, int rate, double speedOfSound, double loading) {
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        this.geometry = geometry;
        this.fftSize = fftSize;
        this.rate = rate;
        this.speedOfSound = speedOfSound;
        this.loading = loading;
        this.fft = new DoubleFFT_1D(fftSize);
        this.window = new double[fftSize];
        // a periodic Hann window: at half overlap its copies add up to exactly 1
        for (int i = 0; i < fftSize; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / fftSize);
    }

    /** The beam towards {@code azimuthDeg}, as long as the channels. */
    float[] steer(float[][] channels, double azimuthDeg) {
        int mics = channels.length;
        int length = channels[0].length;
        int hop = fftSize / 2;
        int frames = Math.max(1, (length - fftSize) / hop + 1);
        int bins = fftSize / 2;
        double[][][] re = new double[frames][mics][bins + 1];
        double[][][] im = new double[frames][mics][bins + 1];
        double[] work = new double[fftSize];
        for (int f = 0; f < frames; f++) {
            for (int m = 0; m < mics; m++) {
                for (int i = 0; i < fftSize; i++) {
                    int t = f * hop + i;
                    work[i] = t < length ? channels[m][t] * window[i] : 0;
                }
                fft.realForward(work);
                re[f][m][0] = work[0];
                re[f][m][bins] = work[1];
                for (int k = 1; k < bins; k++) {
                    re[f][m][k] = work[2 * k];
                    im[f][m][k] = work[2 * k + 1];
                }
            }
        }
        double azimuth = Math.toRadians(azimuthDeg);
        double binHz = (double) rate / fftSize;
        // weights per bin, as conjugates applied to each mic: y = sum conj(w_m) x_m
        double[][] wRe = new double[bins + 1][mics];
        double[][] wIm = new double[bins + 1][mics];
        for (int k = 0; k <= bins; k++) {
            double[] aRe = new double[mics];
            double[] aIm = new double[mics];
            for (int m = 0; m < mics; m++) {
                double phase = 2 * Math.PI * k * binHz * geometry.lead(m, azimuth, speedOfSound);
                aRe[m] = Math.cos(phase);
                aIm[m] = Math.sin(phase);
            }
            double[][] r = new double[2 * mics][2 * mics];
            double trace = 0;
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < mics; i++) {
                    for (int j = 0; j < mics; j++) {
                        double cr = re[f][i][k] * re[f][j][k] + im[f][i][k] * im[f][j][k];
                        double ci = im[f][i][k] * re[f][j][k] - re[f][i][k] * im[f][j][k];
                        r[i][j] += cr;
                        r[i + mics][j + mics] += cr;
                        r[i + mics][j] += ci;
                        r[i][j + mics] -= ci;
                    }
                }
            }
            for (int i = 0; i < mics; i++) trace += r[i][i];
            // a bin with (almost) nothing in it still needs an invertible matrix: a small absolute floor
            double load = loading * trace / mics + 1e-6;
            for (int i = 0; i < 2 * mics; i++) r[i][i] += load;
            double[] a = new double[2 * mics];
            for (int m = 0; m < mics; m++) {
                a[m] = aRe[m];
                a[m + mics] = aIm[m];
            }
            RealVector solved = new LUDecomposition(new Array2DRowRealMatrix(r, false)).getSolver().solve(new ArrayRealVector(a, false));
            // a^H R^-1 a is real for Hermitian R
            double norm = 0;
            for (int m = 0; m < mics; m++) norm += aRe[m] * solved.getEntry(m) + aIm[m] * solved.getEntry(m + mics);
            for (int m = 0; m < mics; m++) {
                wRe[k][m] = solved.getEntry(m) / norm;
                wIm[k][m] = solved.getEntry(m + mics) / norm;
            }
        }
        double[] out = new double[length + fftSize];
        for (int f = 0; f < frames; f++) {
            java.util.Arrays.fill(work, 0);
            for (int k = 0; k <= bins; k++) {
                double yr = 0, yi = 0;
                for (int m = 0; m < mics; m++) {
                    // conj(w) * x
                    yr += wRe[k][m] * re[f][m][k] + wIm[k][m] * im[f][m][k];
                    yi += wRe[k][m] * im[f][m][k] - wIm[k][m] * re[f][m][k];
                }
                if (k == 0) work[0] = yr;
                else if (k == bins) work[1] = yr;
                else {
                    work[2 * k] = yr;
                    work[2 * k + 1] = yi;
                }
            }
            fft.realInverse(work, true);
            for (int i = 0; i < fftSize; i++) out[f * hop + i] += work[i];
        }
        float[] beam = new float[length];
        for (int i = 0; i < length; i++) beam[i] = (float) out[i];
        return beam;
    }
}
