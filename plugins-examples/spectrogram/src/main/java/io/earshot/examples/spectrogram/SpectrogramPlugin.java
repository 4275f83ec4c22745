package io.earshot.examples.spectrogram;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;
import io.earshot.api.StreamConfig;

/**
 * easy-dsp's spectrogram example: one column per buffer of one channel's spectrum, scrolling.
 * A new stream config (another rate or buffer size) starts a new spectrogram handler, since its
 * frequency axis changes.
 */
@Component(configurationPid = "io.earshot.examples.spectrogram", property = AudioListener.NAME + "=spectrogram")
@Designate(ocd = SpectrogramConfig.class)
public final class SpectrogramPlugin implements AudioListener {

    private final Dashboard dashboard;
    private final SpectrogramConfig settings;
    private Handler chart;
    private Columns columns;

    @Activate
    public SpectrogramPlugin(@Reference Dashboard dashboard, SpectrogramConfig settings) {
        this.dashboard = dashboard;
        this.settings = settings;
    }

    @Override
    public void onConfig(StreamConfig config) {
        if (chart != null) {
            chart.close();
        }
        int rows = Math.max(16, Math.min(1024, settings.rows()));
        columns = new Columns(Integer.highestOneBit(config.bufferFrames()), rows);
        chart = dashboard.handler("Spectrogram (channel " + settings.channel() + ")", "base:spectrogram", Map.of(
                "width", Math.max(16, Math.min(4096, settings.columns())), "height", columns.rows(),
                "min", settings.minDb(), "max", settings.maxDb(), "delta_freq", columns.rowHz(config.rate()),
                "update_rate", (double) config.rate() / config.bufferFrames()));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        int channel = Math.min(settings.channel(), buffer.channels() - 1);
        chart.send(columns.next(buffer.channel(channel), settings.minDb()));
    }

    @Deactivate
    void deactivate() {
        if (chart != null) {
            chart.close();
        }
    }
}
