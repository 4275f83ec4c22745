package io.earshot.examples.beamformer;

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
import io.earshot.examples.doa.Doa;
import io.earshot.examples.doa.Geometry;

/**
 * easy-dsp's beamforming example: delay-and-sum or MVDR steered to a fixed azimuth, or (angle &lt; 0)
 * to where SRP-PHAT hears the sound in each buffer; the beam is played in the browser.
 */
@Component(configurationPid = "io.earshot.examples.beamformer", property = AudioListener.NAME + "=beamformer")
@Designate(ocd = BeamformerPlugin.Config.class)
public final class BeamformerPlugin implements AudioListener {

    @ObjectClassDefinition(name = "Earshot example: beamformer")
    @interface Config {
        @AttributeDefinition(description = "Steering azimuth, degrees counter-clockwise from mic 0; negative = follow the loudest direction (SRP-PHAT)")
        double angle() default -1;

        @AttributeDefinition(description = "DAS (delay-and-sum) or MVDR (minimum variance: nulls what comes from elsewhere)")
        String method() default "DAS";

        @AttributeDefinition(description = "Radius of the circle of mics, m (48 channels: rings of r, 2r, 3r)")
        double radius() default 0.0625;

        @AttributeDefinition(description = "Speed of sound, m/s")
        double speedOfSound() default 343;
    }

    private final Handler player;
    private final Config settings;
    private DelayAndSum delayAndSum;
    private Mvdr mvdr;
    private Doa doa;

    @Activate
    public BeamformerPlugin(@Reference Dashboard dashboard, Config settings) {
        this.settings = settings;
        player = dashboard.handler("Beamformer", "base:audio", Map.of("label", settings.method().toUpperCase() + ": "
                + (settings.angle() < 0 ? "the beam, following the loudest direction" : "the beam towards " + settings.angle() + " degrees")));
    }

    @Override
    public void onConfig(StreamConfig config) {
        Geometry geometry = Geometry.standard(config.channels(), settings.radius());
        if ("MVDR".equalsIgnoreCase(settings.method())) {
            mvdr = new Mvdr(geometry, Math.min(512, Integer.highestOneBit(config.bufferFrames())), config.rate(), settings.speedOfSound(), 0.01);
            delayAndSum = null;
        } else {
            delayAndSum = new DelayAndSum(geometry, config.bufferFrames(), config.rate(), settings.speedOfSound());
            mvdr = null;
        }
        doa = settings.angle() < 0 ? new Doa(geometry, config.rate(), Math.min(512, Integer.highestOneBit(config.bufferFrames())),
                300, 3500, settings.speedOfSound()) : null;
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        float[][] channels = new float[buffer.channels()][];
        for (int c = 0; c < channels.length; c++) channels[c] = buffer.channel(c);
        double angle = doa != null ? Doa.peak(doa.spectrum(channels, Doa.Method.SRP_PHAT)) : settings.angle();
        float[] beam = mvdr != null ? mvdr.steer(channels, angle) : delayAndSum.steer(channels, angle);
        short[] samples = new short[beam.length];
        for (int i = 0; i < beam.length; i++) {
            samples[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(beam[i] * AudioBuffer.FULL_SCALE)));
        }
        StreamConfig mono = new StreamConfig(buffer.config().rate(), 1, buffer.frames(), buffer.config().volume());
        player.sendAudio(new AudioBuffer(mono, buffer.sequence(), buffer.captureNanos(), samples));
    }

    @Deactivate
    void deactivate() {
        player.close();
    }
}
