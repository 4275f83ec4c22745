package io.earshot.examples.spectrogram;

import io.earshot.examples.dsp.Spectra;

/** One spectrogram column per buffer: the spectrum in dB, bins grouped into rows (each the group's maximum). */
final class Columns {

    private final Spectra spectra;
    private final double[] bins;
    private final float[] frame;
    private final double[] column;

    Columns(int frameSize, int rows) {
        spectra = new Spectra(frameSize);
        bins = new double[spectra.bins()];
        frame = new float[frameSize];
        column = new double[Math.min(rows, spectra.bins())];
    }

    int rows() {
        return column.length;
    }

    /** Hz covered by one row at {@code rate}. */
    double rowHz(int rate) {
        return spectra.binHz(rate) * spectra.bins() / column.length;
    }

    double[] next(float[] samples, double floorDb) {
        java.util.Arrays.fill(frame, 0);
        System.arraycopy(samples, 0, frame, 0, Math.min(samples.length, frame.length));
        spectra.magnitudeDb(frame, floorDb, bins);
        for (int r = 0; r < column.length; r++) {
            int from = r * bins.length / column.length;
            int to = Math.max(from + 1, (r + 1) * bins.length / column.length);
            double max = floorDb;
            for (int k = from; k < to; k++) max = Math.max(max, bins[k]);
            column[r] = max;
        }
        return column;
    }
}
