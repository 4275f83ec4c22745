package io.earshot.ingest.browser.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.AudioSource;
import io.earshot.api.Capture;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.StreamConfig;

/**
 * The talks of the moment as a source ({@code source=browser}): mono at one rate, silence
 * between talks, the talker's samples while one talks. A new configuration replaces the
 * component (no {@code @Modified}), so the hub sees the source go and come back and reopens with
 * the new rate.
 */
@Component(configurationPid = BrowserSource.PID, property = AudioSource.ID_PROPERTY + "=" + BrowserSource.ID)
@Designate(ocd = BrowserSourceConfig.class)
public final class BrowserSource implements AudioSource {

    static final String PID = "io.earshot.source.browser";
    static final String ID = "browser";

    private final Talks talks;
    private final int rate;
    private final boolean firstOnly;
    private final int cushionMs;

    @Activate
    public BrowserSource(@Reference Talks talks, BrowserSourceConfig config) {
        if (!Talks.RATES.contains(config.rate())) {
            throw new IllegalArgumentException("rate " + config.rate() + " is not one of the talks' rates " + Talks.RATES);
        }
        if (!config.overlap().equals("mix") && !config.overlap().equals("first")) {
            throw new IllegalArgumentException("overlap is mix or first, got " + config.overlap());
        }
        this.talks = talks;
        this.rate = config.rate();
        this.firstOnly = config.overlap().equals("first");
        this.cushionMs = Math.max(0, Math.min(2000, config.cushionMs()));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "talks from browsers (/ws/ingest), mono " + rate + " Hz";
    }

    @Override
    public SourceCapabilities capabilities() {
        return new SourceCapabilities(List.of(rate), List.of(1), 64, 65536);
    }

    @Override
    public Capture open(StreamConfig config) {
        return new BrowserCapture(config, talks, firstOnly, cushionMs);
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("rate", rate);
        status.put("overlap", firstOnly ? "first: the talk that began first is heard alone" : "mix: talks at once are summed");
        status.put("cushion_ms", cushionMs);
        status.put("other_rates", "talks at another rate are resampled to " + rate + " Hz (their files keep their own rate)");
        status.put("talking", talks.current().stream().filter(t -> !t.ended).count());
        return status;
    }
}
