package io.earshot.examples.spectrum;

import io.earshot.examples.dsp.Spectra;

/**
 * A magnitude spectrum and the same through an ideal band-pass filter (bins outside
 * low..high set to the floor), reduced to a number of points for drawing (each point the
 * maximum of its group of bins, so a narrow peak is never lost).
 */
final class BandSpectrum {

    static final double FLOOR_DB = -120;

    final double[] hz;
    final double[] rawDb;
    final double[] bandDb;
    private final Spectra spectra;
    private final double[] bins;
    private final float[] frame;

    BandSpectrum(int frameSize, int points) {
        spectra = new Spectra(frameSize);
        bins = new double[spectra.bins()];
        frame = new float[frameSize];
        int n = Math.min(points, spectra.bins());
        hz = new double[n];
        rawDb = new double[n];
        bandDb = new double[n];
    }

    /** Analyses the first frame of {@code samples} (padded with silence when shorter). */
    void analyse(float[] samples, int rate, double lowHz, double highHz) {
        java.util.Arrays.fill(frame, 0);
        System.arraycopy(samples, 0, frame, 0, Math.min(samples.length, frame.length));
        spectra.magnitudeDb(frame, FLOOR_DB, bins);
        double binHz = spectra.binHz(rate);
        int points = hz.length;
        for (int p = 0; p < points; p++) {
            int from = p * bins.length / points;
            int to = Math.max(from + 1, (p + 1) * bins.length / points);
            double raw = FLOOR_DB;
            double band = FLOOR_DB;
            for (int k = from; k < to; k++) {
                raw = Math.max(raw, bins[k]);
                double f = k * binHz;
                if (f >= lowHz && f <= highHz) band = Math.max(band, bins[k]);
            }
            hz[p] = Math.round(from * binHz);
            rawDb[p] = raw;
            bandDb[p] = band;
        }
    }
}
