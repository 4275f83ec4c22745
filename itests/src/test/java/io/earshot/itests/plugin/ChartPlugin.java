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

    private final Handler levels;
    private final Handler history;
    private long buffers;

    public ChartPlugin(Dashboard dashboard) {
        levels = dashboard.handler("itest levels", "base:graph:bar",
                Map.of("xName", "channel", "series", List.of(Map.of("name", "rms")), "min", 0, "max", 1));
        history = dashboard.handler("itest history", "base:graph:line",
                Map.of("xName", "buffer", "series", List.of(Map.of("name", "channel 0")), "xLimitNb", 200));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        int channels = buffer.channels();
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
    }
}
