package io.earshot.examples.vad;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;
import io.earshot.api.StreamConfig;

/** easy-dsp's VAD example: speech or not, every 20 ms, on one channel; an area chart over the last 10 s. */
@Component(configurationPid = "io.earshot.examples.vad", property = AudioListener.NAME + "=vad")
@Designate(ocd = VadPlugin.Config.class)
public final class VadPlugin implements AudioListener {

    @ObjectClassDefinition(name = "Earshot example: voice activity")
    @interface Config {
        @AttributeDefinition(description = "Channel to listen to")
        int channel() default 0;

        @AttributeDefinition(description = "How far above the noise floor the speech band must be, dB")
        double thresholdDb() default 9;

        @AttributeDefinition(description = "Frames (20 ms) a decision for speech holds")
        int hangFrames() default 10;
    }

    private final Handler chart;
    private final Config settings;
    private VoiceActivity vad;
    private double seconds;

    @Activate
    public VadPlugin(@Reference Dashboard dashboard, Config settings) {
        this.settings = settings;
        chart = dashboard.handler("Voice activity", "base:graph:area", Map.of("xName", "seconds",
                "series", List.of(Map.of("name", "speech"), Map.of("name", "band level above floor / 40 dB", "color", "#3cb44b")),
                "min", 0, "max", 1, "xLimitNb", 500));
    }

    @Override
    public void onConfig(StreamConfig config) {
        vad = new VoiceActivity(config.rate(), settings.thresholdDb(), settings.hangFrames());
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        List<Double> times = new ArrayList<>();
        List<Double> speech = new ArrayList<>();
        List<Double> level = new ArrayList<>();
        vad.feed(buffer.channel(Math.min(settings.channel(), buffer.channels() - 1)), f -> {
            seconds += 0.02;
            times.add(Math.round(seconds * 100) / 100.0);
            speech.add(f.speech() ? 1.0 : 0.0);
            level.add(Math.max(0, Math.min(1, (f.levelDb() - f.floorDb()) / 40)));
        });
        if (!times.isEmpty()) {
            chart.send(Map.of("add", List.of(Map.of("x", times, "y", speech), Map.of("x", times, "y", level))));
        }
    }

    @Deactivate
    void deactivate() {
        chart.close();
    }
}
