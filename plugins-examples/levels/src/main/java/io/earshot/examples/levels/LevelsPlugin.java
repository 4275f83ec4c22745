package io.earshot.examples.levels;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;

/** easy-dsp's level meter: RMS and peak per channel, a bar chart updated with every buffer. */
@Component(property = AudioListener.NAME + "=levels")
public final class LevelsPlugin implements AudioListener {

    private final Handler chart;

    @Activate
    public LevelsPlugin(@Reference Dashboard dashboard) {
        chart = dashboard.handler("Levels", "base:graph:bar", Map.of("xName", "channel",
                "series", List.of(Map.of("name", "RMS dBFS"), Map.of("name", "peak dBFS", "color", "#e6194b")),
                "min", Levels.FLOOR_DB / 2, "max", 0));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        Levels levels = Levels.of(buffer);
        double[] channels = new double[buffer.channels()];
        for (int c = 0; c < channels.length; c++) channels[c] = c;
        chart.send(Map.of("replace", List.of(Map.of("x", channels, "y", levels.rmsDb()),
                Map.of("x", channels, "y", levels.peakDb()))));
    }

    @Deactivate
    void deactivate() {
        chart.close();
    }
}
