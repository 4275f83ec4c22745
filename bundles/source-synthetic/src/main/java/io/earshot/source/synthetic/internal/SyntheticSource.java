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
import io.earshot.api.SourceException;
import io.earshot.api.SourceSettings;
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
        // the truth and the mics are the capture's status, shown with the stream that reads it
        return new SyntheticCapture(config, new Scene(config.rate(), config.channels(), settings), PeriodClock.SYSTEM);
    }

    /**
     * A stream of its own: the scene's settings as configured, each overridden by the stream's
     * setting of the same name ({@code angularSpeed=-30}, {@code seed=7}, ...), so a second
     * simulated array hears another scene.
     */
    @Override
    public Capture open(StreamConfig config, SourceSettings stream) throws SourceException {
        if (stream.values().isEmpty()) {
            return open(config);
        }
        try {
            return new SyntheticCapture(config, new Scene(config.rate(), config.channels(), settings.with(stream)),
                    PeriodClock.SYSTEM);
        } catch (IllegalArgumentException e) {
            throw new SourceException("synthetic (stream " + stream.stream() + "): " + e.getMessage());
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        SyntheticSettings s = settings;
        status.put("volume", "software gain");
        status.put("snr_db", s.snrDb());
        status.put("tone_hz", s.toneHz());
        status.put("speech", s.speech());
        return status;
    }
}
