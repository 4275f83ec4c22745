package io.earshot.examples.dsp;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Magnitude spectra of real signals with JTransforms: a Hann window, one real FFT, the
 * magnitude of each bin in dB relative to a full-scale sine (a sine of amplitude 1 reads 0 dB).
 * Not thread-safe: one instance per plugin thread; it reuses its arrays.
 */
public final class Spectra {

    private final int size;
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double[] work;
    private final double windowGain;

    /** For frames of {@code size} samples (any size; powers of two are fastest). */
    public Spectra(int size) {
        // the FFT runs on the plugin's own thread: no pool of JTransforms' own (each plugin has its own copy)
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        this.size = size;
        this.fft = new DoubleFFT_1D(size);
        this.window = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
            sum += window[i];
        }
        this.windowGain = sum;
        this.work = new double[size];
    }

    public int size() {
        return size;
    }

    /** Bins of the magnitude spectrum: size / 2 + 1, from 0 Hz to half the rate. */
    public int bins() {
        return size / 2 + 1;
    }

    /** Hz between bins at {@code rate}. */
    public double binHz(int rate) {
        return (double) rate / size;
    }

    /**
     * The magnitude in dB of each bin of {@code samples[0..size)} into {@code into} (length
     * {@link #bins()}); silence reads {@code floorDb}.
     */
    public void magnitudeDb(float[] samples, double floorDb, double[] into) {
        for (int i = 0; i < size; i++) {
            work[i] = samples[i] * window[i];
        }
        fft.realForward(work);
        // realForward packs: work[0] = Re(0), work[1] = Re(n/2) for even n, then Re/Im pairs
        into[0] = db(Math.abs(work[0]) / windowGain, floorDb);
        for (int k = 1; k < (size + 1) / 2; k++) {
            into[k] = db(2 * Math.hypot(work[2 * k], work[2 * k + 1]) / windowGain, floorDb);
        }
        if (size % 2 == 0) {
            into[size / 2] = db(Math.abs(work[1]) / windowGain, floorDb);
        }
    }

    /** 20 log10(amplitude), not below {@code floorDb}. */
    public static double db(double amplitude, double floorDb) {
        return amplitude > 0 ? Math.max(floorDb, 20 * Math.log10(amplitude)) : floorDb;
    }
}
