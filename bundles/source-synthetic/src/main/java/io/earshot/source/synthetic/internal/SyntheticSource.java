package io.earshot.source.synthetic.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.StreamConfig;

/**
 * The default source: a simulated microphone array, paced in real time, that publishes its
 * ground truth (the sound source's azimuth) in the status.
 * <p>
 * Azimuth convention: degrees counter-clockwise from the +x axis (the direction of mic 0), as the
 * direction from the array centre to the sound source.
 */
@Component(configurationPid = SyntheticSource.PID, property = AudioSource.ID_PROPERTY + "=" + SyntheticSource.ID)
@Designate(ocd = SyntheticConfig.class)
public final class SyntheticSource implements AudioSource {

    static final String PID = "io.earshot.source.synthetic";
    static final String ID = "synthetic";
    static final SourceCapabilities CAPABILITIES = new SourceCapabilities(
            List.of(8000, 16000, 22050, 32000, 44100, 48000, 96000),
            IntStream.rangeClosed(1, 48).boxed().toList(), 64, 65536);

    private volatile SyntheticSettings settings;
    private volatile SyntheticCapture open;

    @Activate
    public SyntheticSource(SyntheticConfig config) {
        this.settings = SyntheticSettings.of(config);
    }

    /** Takes effect at the next open (the next config change or source switch). */
    @Modified
    void modified(SyntheticConfig config) {
        this.settings = SyntheticSettings.of(config);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "simulated microphone array";
    }

    @Override
    public SourceCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Capture open(StreamConfig config) {
        SyntheticCapture capture = new SyntheticCapture(config, new Scene(config.rate(), config.channels(), settings),
                PeriodClock.SYSTEM);
        open = capture;
        return capture;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        SyntheticSettings s = settings;
        status.put("volume", "software gain");
        status.put("snr_db", s.snrDb());
        status.put("tone_hz", s.toneHz());
        status.put("speech", s.speech());
        SyntheticCapture capture = open;
        if (capture != null) {
            status.put("truth", capture.truth());
            status.put("mics", capture.scene().geometry().asList());
        }
        return status;
    }
}
