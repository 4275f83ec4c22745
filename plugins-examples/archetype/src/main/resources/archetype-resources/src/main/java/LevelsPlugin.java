package ${package};

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;

/**
 * A starting point: the RMS level of every channel, as a bar chart in the webapp, with every
 * buffer. Change {@link #onBuffer} to analyse something else; see docs/plugins.md of Earshot.
 */
@Component(property = AudioListener.NAME + "=${pluginName}")
public final class LevelsPlugin implements AudioListener {

    private final Handler chart;

    @Activate
    public LevelsPlugin(@Reference Dashboard dashboard) {
        chart = dashboard.handler("${pluginName}", "base:graph:bar",
                Map.of("xName", "channel", "series", List.of(Map.of("name", "RMS")), "min", 0, "max", 1));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        double[] channels = new double[buffer.channels()];
        double[] rms = new double[buffer.channels()];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = c;
            rms[c] = rms(buffer.channel(c));
        }
        chart.send(Map.of("replace", List.of(Map.of("x", channels, "y", rms))));
    }

    /** The root mean square of samples in -1..1. */
    static double rms(float[] samples) {
        double sum = 0;
        for (float v : samples) sum += v * v;
        return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
    }
}
