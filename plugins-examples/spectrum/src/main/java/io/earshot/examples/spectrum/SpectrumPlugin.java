package io.earshot.examples.spectrum;

import java.util.List;
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
 * easy-dsp's DFT example: the magnitude spectrum of one channel, with what a band-pass filter
 * keeps of it, redrawn with every buffer. Configure it (PID io.earshot.examples.spectrum) in the
 * Web Console or in conf/.
 */
@Component(configurationPid = "io.earshot.examples.spectrum", property = AudioListener.NAME + "=spectrum")
@Designate(ocd = SpectrumConfig.class)
public final class SpectrumPlugin implements AudioListener {

    private final Handler chart;
    private final SpectrumConfig settings;
    private BandSpectrum spectrum;

    @Activate
    public SpectrumPlugin(@Reference Dashboard dashboard, SpectrumConfig settings) {
        this.settings = settings;
        chart = dashboard.handler("Spectrum", "base:graph:line", Map.of("xName", "Hz",
                "series", List.of(Map.of("name", "channel " + settings.channel() + " dB"),
                        Map.of("name", settings.lowHz() + "-" + settings.highHz() + " Hz band", "color", "#e6194b")),
                "min", BandSpectrum.FLOOR_DB, "max", 0));
    }

    @Override
    public void onConfig(StreamConfig config) {
        spectrum = new BandSpectrum(Integer.highestOneBit(config.bufferFrames()), Math.max(16, Math.min(4096, settings.points())));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        int channel = Math.min(settings.channel(), buffer.channels() - 1);
        spectrum.analyse(buffer.channel(channel), buffer.config().rate(), settings.lowHz(), settings.highHz());
        chart.send(Map.of("replace", List.of(Map.of("x", spectrum.hz, "y", spectrum.rawDb),
                Map.of("x", spectrum.hz, "y", spectrum.bandDb))));
    }

    @Deactivate
    void deactivate() {
        chart.close();
    }
}
