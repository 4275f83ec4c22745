package io.earshot.itests.plugin;

import java.util.List;
import java.util.Map;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;

/**
 * The plugin the browser tests drop in: an RMS-per-channel bar chart and a line of the first
 * channel's level over time, fed from the live stream, as a user's analysis plugin would be.
 * Wired by a hand-written DS descriptor (constructor injection of the Dashboard).
 */
public class ChartPlugin implements AudioListener {

    private static final int BINS = 64;

    private final Handler levels;
    private final Handler history;
    private final Handler around;
    private final Handler blocks;
    private final Handler spectrum;
    private final Handler playback;
    private long buffers;

    public ChartPlugin(Dashboard dashboard) {
        levels = dashboard.handler("itest levels", "base:graph:bar",
                Map.of("xName", "channel", "series", List.of(Map.of("name", "rms")), "min", 0, "max", 1));
        history = dashboard.handler("itest history", "base:graph:line",
                Map.of("xName", "buffer", "series", List.of(Map.of("name", "channel 0")), "xLimitNb", 200));
        around = dashboard.handler("itest polar", "base:polar:area",
                Map.of("title", "level per microphone", "series", List.of("rms"), "legend", Map.of("from", 0, "to", 360, "step", 60)));
        blocks = dashboard.handler("itest heatmap", "base:heatmap", Map.of("min", 0, "max", 0.5));
        spectrum = dashboard.handler("itest spectrogram", "base:spectrogram",
                Map.of("width", 200, "height", BINS, "min", -100, "max", 0, "delta_freq", 24000.0 / BINS));
        playback = dashboard.handler("itest audio", "base:audio", Map.of("label", "the stream, sent back", "gain", 1));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        int channels = buffer.channels();
        if (buffers == 0) {
            System.out.println("itest charts: first buffer, " + channels + " channels"); // seen in the webapp's console
            // a thread of the plugin's own: its line is the plugin's too (found by its code on the stack)
            Thread own = new Thread(() -> System.out.println("itest charts: from a thread of its own"), "itest-charts-worker");
            own.setDaemon(true);
            own.start();
        }
        double[] x = new double[channels];
        double[] rms = new double[channels];
        for (int c = 0; c < channels; c++) {
            float[] samples = buffer.channel(c);
            double sum = 0;
            for (float v : samples) sum += v * v;
            x[c] = c;
            rms[c] = Math.sqrt(sum / samples.length);
        }
        levels.send(Map.of("replace", List.of(Map.of("x", x, "y", rms))));
        history.send(Map.of("add", List.of(Map.of("x", new double[] {buffers++}, "y", new double[] {rms[0]}))));
        around.send(List.of(Map.of("replace", rms)));

        // RMS of each channel in 8 consecutive blocks of the buffer: one row per channel
        double[][] rows = new double[channels][8];
        int block = buffer.frames() / 8;
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < 8; b++) {
                double sum = 0;
                for (int f = b * block; f < (b + 1) * block; f++) {
                    double v = buffer.sample(f, c) / 32768.0;
                    sum += v * v;
                }
                rows[c][b] = Math.sqrt(sum / Math.max(1, block));
            }
        }
        blocks.send(rows);

        // magnitude in dB of channel 0 at BINS frequencies up to half the rate (a plain DFT: a test, not an example)
        float[] first = buffer.channel(0);
        int n = Math.min(first.length, 1024);
        double[] column = new double[BINS];
        for (int k = 0; k < BINS; k++) {
            double re = 0, im = 0, w = Math.PI * k / BINS;
            for (int t = 0; t < n; t++) {
                re += first[t] * Math.cos(w * t);
                im -= first[t] * Math.sin(w * t);
            }
            column[k] = Math.max(-100, 20 * Math.log10(Math.hypot(re, im) / n + 1e-12));
        }
        spectrum.send(column);
        playback.sendAudio(buffer);
    }
}
