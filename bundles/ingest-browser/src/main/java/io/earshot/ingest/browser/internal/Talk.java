package io.earshot.ingest.browser.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.earshot.api.FedRecording;

/** One talk: one /ws/ingest connection, from its open to its close. */
final class Talk {

    final String id;
    final String shown;
    final String recordingName;
    final int rate;
    final String remote;
    final Instant started = Instant.now();
    /** Its samples for the browser source, at the source's rate: made with the first ones the source is open for. */
    volatile SampleRing ring;
    /** From the talk's rate to the source's, when they differ; the talk's session only. */
    private Resampler resampler;

    // written by the talk's session only (Jetty delivers its messages one at a time)
    FedRecording recording;
    volatile long frames;
    volatile long droppedForSource;
    volatile boolean ended;
    volatile String endReason;
    /** Whether the source is playing it out (false until its cushion is in, and after running dry); capture thread only. */
    boolean playing;

    Talk(String id, String shown, String recordingName, int rate, String remote) {
        this.id = id;
        this.shown = shown;
        this.recordingName = recordingName;
        this.rate = rate;
        this.remote = remote;
    }

    /**
     * The producer's side of {@link #ring} for a source at {@code sourceRate}, made when first
     * needed (a talk the source never hears holds none) and again when the source's rate changed.
     */
    SampleRing sourceRing(int sourceRate) {
        SampleRing r = ring;
        if (r == null || r.rate != sourceRate) ring = r = new SampleRing(sourceRate, Talks.BACKLOG_SECONDS * sourceRate);
        return r;
    }

    /** This talk's samples as the source at {@code sourceRate} takes them: resampled when the rates differ. */
    short[] forSource(short[] samples, int length, int sourceRate) {
        if (sourceRate == rate) return length == samples.length ? samples : java.util.Arrays.copyOf(samples, length);
        if (resampler == null || resampler.toRate != sourceRate) resampler = new Resampler(rate, sourceRate);
        return resampler.process(samples, length);
    }

    double seconds() {
        return (double) frames / rate;
    }

    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", shown);
        out.put("rate", rate);
        out.put("started", started.toString());
        out.put("seconds", seconds());
        out.put("recording", recordingName);
        out.put("dropped_for_source", droppedForSource);
        if (ended) out.put("ended", endReason == null ? "closed by the talker" : endReason);
        return out;
    }
}
