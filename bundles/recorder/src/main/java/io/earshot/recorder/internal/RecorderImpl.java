package io.earshot.recorder.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioClip;
import io.earshot.api.AudioListener;
import io.earshot.api.Recorder;
import io.earshot.api.StatusContributor;
import io.earshot.api.StreamConfig;

/**
 * The recorder: a listener of the stream like any plugin (its own thread and queue), which
 * copies buffers into each open recording until it has its frames, then hands the clip over.
 * Recordings in progress are bounded in number and in memory.
 */
@Component(service = {Recorder.class, AudioListener.class, StatusContributor.class},
        property = {AudioListener.NAME + "=recorder", AudioListener.QUEUE + "=64"})
public final class RecorderImpl implements Recorder, AudioListener, StatusContributor {

    /** Samples (16 bits each) all recordings in progress may hold together: 64 MB. */
    static final long MAX_SAMPLES = 32L * 1024 * 1024;
    static final int MAX_RECORDINGS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(RecorderImpl.class);

    private final List<Recording> recordings = new CopyOnWriteArrayList<>();
    private volatile StreamConfig config;
    private volatile long clips;

    private static final class Recording {
        final long framesWanted;
        final Consumer<AudioClip> done;
        /** Buffers captured before the request (still queued for the recorder) are not part of it. */
        final long requestedNanos = System.currentTimeMillis() * 1_000_000L;
        final List<short[]> buffers = new ArrayList<>();
        StreamConfig config;
        long frames;
        long firstSequence = -1;
        long nextSequence = -1;
        long lost;

        Recording(long framesWanted, Consumer<AudioClip> done) {
            this.framesWanted = framesWanted;
            this.done = done;
        }
    }

    @Override
    public void record(Duration duration, Consumer<AudioClip> done) {
        StreamConfig current = config;
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a recording needs a positive duration, got " + duration);
        }
        if (current == null) {
            throw new IllegalStateException("no stream is running yet; try again when it is");
        }
        long frames = (long) Math.ceil(duration.toNanos() / 1e9 * current.rate());
        long samples = frames * current.channels() + reserved();
        if (samples > MAX_SAMPLES) {
            throw new IllegalArgumentException(String.format("%s of %d channels at %d Hz is %d samples; recordings in progress"
                    + " may hold at most %d (%.1f s of this stream)", duration, current.channels(), current.rate(),
                    frames * current.channels(), MAX_SAMPLES - reserved(),
                    (double) (MAX_SAMPLES - reserved()) / current.channels() / current.rate()));
        }
        if (recordings.size() >= MAX_RECORDINGS) {
            throw new IllegalArgumentException(MAX_RECORDINGS + " recordings are in progress, the most at once");
        }
        recordings.add(new Recording(frames, done));
    }

    private long reserved() {
        long total = 0;
        for (Recording r : recordings) total += r.framesWanted * (config == null ? 1 : config.channels());
        return total;
    }

    @Override
    public void onConfig(StreamConfig newConfig) {
        config = newConfig;
        for (Recording r : recordings) {
            if (r.config != null && !r.config.equals(newConfig)) finish(r); // a clip has one config
        }
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        for (Recording r : recordings) {
            if (buffer.captureNanos() < r.requestedNanos) {
                continue;
            }
            if (r.config == null) {
                r.config = buffer.config();
                r.firstSequence = buffer.sequence();
            } else if (buffer.sequence() > r.nextSequence) {
                r.lost += buffer.sequence() - r.nextSequence;
            }
            r.nextSequence = buffer.sequence() + 1;
            int take = (int) Math.min(buffer.frames(), r.framesWanted - r.frames);
            short[] part = new short[take * buffer.channels()];
            buffer.samples().get(part);
            r.buffers.add(part);
            r.frames += take;
            if (r.frames >= r.framesWanted) finish(r);
        }
    }

    private void finish(Recording r) {
        recordings.remove(r);
        int total = 0;
        for (short[] part : r.buffers) total += part.length;
        short[] samples = new short[total];
        int at = 0;
        for (short[] part : r.buffers) {
            System.arraycopy(part, 0, samples, at, part.length);
            at += part.length;
        }
        clips++;
        try {
            r.done.accept(new AudioClip(r.config, r.firstSequence, r.lost, samples));
        } catch (RuntimeException e) {
            LOG.error("A recording's receiver failed", e);
        }
    }

    @Override
    public String statusKey() {
        return "recorder";
    }

    @Override
    public Object status() {
        return Map.of("in_progress", recordings.size(), "clips_made", clips,
                "limits", Map.of("samples", MAX_SAMPLES, "recordings", MAX_RECORDINGS));
    }
}
