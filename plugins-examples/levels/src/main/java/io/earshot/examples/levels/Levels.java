package io.earshot.examples.levels;

import io.earshot.api.AudioBuffer;

/** RMS and peak of each channel of a buffer, in dB relative to full scale (a full-scale square wave is 0 dBFS). */
record Levels(double[] rmsDb, double[] peakDb) {

    static final double FLOOR_DB = -120;

    static Levels of(AudioBuffer buffer) {
        int channels = buffer.channels();
        int frames = buffer.frames();
        double[] sum = new double[channels];
        double[] peak = new double[channels];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                double v = buffer.sample(f, c) / (double) AudioBuffer.FULL_SCALE;
                sum[c] += v * v;
                peak[c] = Math.max(peak[c], Math.abs(v));
            }
        }
        double[] rmsDb = new double[channels];
        double[] peakDb = new double[channels];
        for (int c = 0; c < channels; c++) {
            rmsDb[c] = db(Math.sqrt(sum[c] / frames));
            peakDb[c] = db(peak[c]);
        }
        return new Levels(rmsDb, peakDb);
    }

    private static double db(double amplitude) {
        return amplitude > 0 ? Math.max(FLOOR_DB, 20 * Math.log10(amplitude)) : FLOOR_DB;
    }
}
