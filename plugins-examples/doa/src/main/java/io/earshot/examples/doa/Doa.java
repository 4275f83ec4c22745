package io.earshot.examples.doa;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Direction of arrival of one far-field source in the array's plane, on a grid of whole degrees.
 * The buffer is cut into Hann-windowed frames (half overlap); each channel's spectrum is taken
 * per frame; only bins between {@code lowHz} and {@code highHz} count.
 * <ul>
 * <li>SRP-PHAT: each channel's spectrum is whitened (phase only); the power of the sum steered to
 * each azimuth, added over bins and frames.</li>
 * <li>MUSIC: per bin, the spatial covariance over the frames; its noise subspace (all eigenvectors
 * but the largest); the pseudo-spectrum 1 / |E_n^H a(azimuth)|^2, added over bins. The complex
 * Hermitian matrix is decomposed as its real symmetric form of twice the size.</li>
 * </ul>
 * Not thread-safe: one instance per plugin thread.
 */
public final class Doa {

    public enum Method { SRP_PHAT, MUSIC }

    public static final int GRID = 360;

    private final Geometry geometry;
    private final int rate;
    private final int fftSize;
    private final int firstBin;
    private final int lastBin;
    private final double speedOfSound;
    private final DoubleFFT_1D fft;
    private final double[] window;
    /** Steering phases: [azimuth][mic][bin - firstBin] as cos and sin. */
    private final double[][][] steerCos;
    private final double[][][] steerSin;

    public Doa(Geometry geometry, int rate, int fftSize, double lowHz, double highHz, double speedOfSound) {
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        this.geometry = geometry;
        this.rate = rate;
        this.fftSize = fftSize;
        this.speedOfSound = speedOfSound;
        this.fft = new DoubleFFT_1D(fftSize);
        this.window = new double[fftSize];
        for (int i = 0; i < fftSize; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / fftSize);
        double binHz = (double) rate / fftSize;
        this.firstBin = Math.max(1, (int) Math.ceil(lowHz / binHz));
        this.lastBin = Math.min(fftSize / 2 - 1, (int) Math.floor(highHz / binHz));
        int bins = Math.max(0, lastBin - firstBin + 1);
        int mics = geometry.size();
        steerCos = new double[GRID][mics][bins];
        steerSin = new double[GRID][mics][bins];
        for (int a = 0; a < GRID; a++) {
            double azimuth = Math.toRadians(a);
            for (int m = 0; m < mics; m++) {
                double lead = geometry.lead(m, azimuth, speedOfSound);
                for (int b = 0; b < bins; b++) {
                    double phase = 2 * Math.PI * (firstBin + b) * binHz * lead;
                    steerCos[a][m][b] = Math.cos(phase);
                    steerSin[a][m][b] = Math.sin(phase);
                }
            }
        }
    }

    public int bins() {
        return Math.max(0, lastBin - firstBin + 1);
    }

    /** Spectra of each frame: [frame][mic][bin - firstBin] as re and im. */
    private double[][][][] spectra(float[][] channels) {
        int frames = Math.max(1, (channels[0].length - fftSize) / (fftSize / 2) + 1);
        int mics = geometry.size();
        double[][][][] out = new double[2][frames][mics][bins()];
        double[] work = new double[fftSize];
        for (int f = 0; f < frames; f++) {
            int start = f * fftSize / 2;
            for (int m = 0; m < mics; m++) {
                for (int i = 0; i < fftSize; i++) {
                    int t = start + i;
                    work[i] = t < channels[m].length ? channels[m][t] * window[i] : 0;
                }
                fft.realForward(work);
                for (int b = 0; b < bins(); b++) {
                    int k = firstBin + b;
                    out[0][f][m][b] = work[2 * k];
                    out[1][f][m][b] = work[2 * k + 1];
                }
            }
        }
        return out;
    }

    /** The spatial spectrum over the azimuth grid (larger = likelier), for the method asked. */
    public double[] spectrum(float[][] channels, Method method) {
        if (channels.length != geometry.size()) {
            throw new IllegalArgumentException("the geometry has " + geometry.size() + " mics, the stream " + channels.length + " channels");
        }
        double[][][][] x = spectra(channels);
        return method == Method.MUSIC ? music(x) : srpPhat(x);
    }

    private double[] srpPhat(double[][][][] x) {
        double[] power = new double[GRID];
        int frames = x[0].length;
        int mics = geometry.size();
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins(); b++) {
                double[] re = new double[mics];
                double[] im = new double[mics];
                for (int m = 0; m < mics; m++) {
                    double magnitude = Math.hypot(x[0][f][m][b], x[1][f][m][b]);
                    if (magnitude > 0) {
                        re[m] = x[0][f][m][b] / magnitude;
                        im[m] = x[1][f][m][b] / magnitude;
                    }
                }
                for (int a = 0; a < GRID; a++) {
                    double sumRe = 0, sumIm = 0;
                    for (int m = 0; m < mics; m++) {
                        // undo each mic's lead: multiply by exp(-j phase)
                        double c = steerCos[a][m][b], s = steerSin[a][m][b];
                        sumRe += re[m] * c + im[m] * s;
                        sumIm += im[m] * c - re[m] * s;
                    }
                    power[a] += sumRe * sumRe + sumIm * sumIm;
                }
            }
        }
        return power;
    }

    private double[] music(double[][][][] x) {
        int frames = x[0].length;
        int mics = geometry.size();
        double[] pseudo = new double[GRID];
        for (int b = 0; b < bins(); b++) {
            // R = (1/F) sum X X^H, as the real symmetric [[Re, -Im], [Im, Re]]
            double[][] r = new double[2 * mics][2 * mics];
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < mics; i++) {
                    double ai = x[0][f][i][b], bi = x[1][f][i][b];
                    for (int j = 0; j < mics; j++) {
                        double aj = x[0][f][j][b], bj = x[1][f][j][b];
                        double re = ai * aj + bi * bj;   // Re(x_i conj(x_j))
                        double im = bi * aj - ai * bj;   // Im(x_i conj(x_j))
                        r[i][j] += re;
                        r[i + mics][j + mics] += re;
                        r[i + mics][j] += im;
                        r[i][j + mics] -= im;
                    }
                }
            }
            RealMatrix covariance = MatrixUtils.createRealMatrix(r);
            EigenDecomposition eigen = new EigenDecomposition(covariance);
            double[] values = eigen.getRealEigenvalues();
            // the signal subspace: the two largest (one complex eigenvector, twice in the real form)
            Integer[] order = new Integer[values.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (p, q) -> Double.compare(values[q], values[p]));
            double[][] noise = new double[2 * mics - 2][];
            for (int n = 2; n < 2 * mics; n++) noise[n - 2] = eigen.getEigenvector(order[n]).toArray();
            for (int a = 0; a < GRID; a++) {
                double[] steer = new double[2 * mics];
                for (int m = 0; m < mics; m++) {
                    steer[m] = steerCos[a][m][b];
                    steer[m + mics] = steerSin[a][m][b];
                }
                double projection = 0;
                for (double[] v : noise) {
                    double dot = 0;
                    for (int i = 0; i < 2 * mics; i++) dot += v[i] * steer[i];
                    projection += dot * dot;
                }
                pseudo[a] += 1 / Math.max(projection, 1e-12);
            }
        }
        return pseudo;
    }

    /** The azimuth (degrees, 0..359) of the spectrum's largest value. */
    public static int peak(double[] spectrum) {
        int best = 0;
        for (int a = 1; a < spectrum.length; a++) if (spectrum[a] > spectrum[best]) best = a;
        return best;
    }
}
