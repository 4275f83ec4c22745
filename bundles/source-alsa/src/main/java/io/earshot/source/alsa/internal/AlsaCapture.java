package io.earshot.source.alsa.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

import io.earshot.api.Capture;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/**
 * A running ALSA capture: reads period-sized chunks into one reused native block and assembles
 * them into buffers of exactly {@code buffer_frames}, whatever the device's period.
 * <p>
 * The PCM is non-blocking and waited on in short slices, so the hub's interrupt (stop, new
 * config) is seen within one slice even on a device that delivers nothing.
 */
final class AlsaCapture implements Capture {

    static final int WAIT_SLICE_MILLIS = 100;

    private final Libasound alsa;
    private final Pcm pcm;
    private final StreamConfig config;
    private final Pcm.Negotiated negotiated;
    private final CaptureVolume volume;
    private final long silenceLimitMillis;
    private final String pcmName;
    private final int channels;
    private final Memory chunk;
    private final NativeLong chunkFrames;
    private final long monotonicAtStart = System.nanoTime();
    /** Microseconds, not currentTimeMillis: clients measure latency against the stamps. */
    private final long wallAtStartNanos = Capture.epochNanos(java.time.Instant.now());

    /** Frames consumed and the time it began, re-based after each overrun, to estimate what an overrun lost. */
    private long framesSinceBase;
    private long baseNanos = System.nanoTime();
    private volatile long overruns;
    private volatile long lostBuffers;
    private volatile long buffers;
    private volatile boolean gone;
    private volatile String goneReason;
    private boolean closed;

    AlsaCapture(Libasound alsa, Pcm pcm, StreamConfig config, Pcm.Negotiated negotiated, CaptureVolume volume,
                long silenceLimitMillis) {
        this.alsa = alsa;
        this.pcm = pcm;
        this.config = config;
        this.negotiated = negotiated;
        this.volume = volume;
        this.silenceLimitMillis = silenceLimitMillis;
        this.channels = config.channels();
        this.pcmName = alsa.snd_pcm_name(pcm.handle());
        int frames = Math.min(negotiated.periodFrames(), config.bufferFrames());
        this.chunkFrames = new NativeLong(frames);
        this.chunk = new Memory((long) frames * channels * 2);
    }

    @Override
    public long read(short[] into) throws SourceException, InterruptedException {
        int wanted = config.bufferFrames();
        int done = 0;
        long silentMillis = 0;
        while (done < wanted) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (gone) {
                throw new SourceException(goneReason);
            }
            // read what is there first: waiting means waiting for a whole device period, and a
            // buffer smaller than the period must not cost one period each
            int frames = Math.min((int) chunkFrames.longValue(), wanted - done);
            long got = alsa.snd_pcm_readi(pcm.handle(), chunk, new NativeLong(frames)).longValue();
            if (got > 0) {
                chunk.read(0, into, done * channels, (int) got * channels);
                done += (int) got;
                framesSinceBase += got;
                silentMillis = 0;
                continue;
            }
            if (got < 0 && got != -Libasound.EAGAIN) {
                if (!recover((int) got)) {
                    throw failure((int) got, "reading");
                }
                done = dropPartial(done, wanted);
                continue;
            }
            int ready = alsa.snd_pcm_wait(pcm.handle(), WAIT_SLICE_MILLIS);
            if (ready == 0) {
                silentMillis += WAIT_SLICE_MILLIS;
                if (silentMillis >= silenceLimitMillis) {
                    throw new SourceException("device " + pcm.device() + ": no audio for " + silentMillis
                            + " ms (the device stopped delivering)");
                }
            } else if (ready < 0) {
                if (!recover(ready)) {
                    throw failure(ready, "waiting for audio");
                }
                done = dropPartial(done, wanted);
            }
        }
        applyGain(into);
        buffers++;
        long waiting = Math.max(0, alsa.snd_pcm_avail_update(pcm.handle()).longValue());
        long now = wallAtStartNanos + (System.nanoTime() - monotonicAtStart);
        return now - waiting * 1_000_000_000L / config.rate();
    }

    /** For an overrun or a suspend: recover, count, re-base the loss estimate. */
    private boolean recover(int err) {
        if (err != -Libasound.EPIPE && err != -Libasound.ESTRPIPE) {
            return false;
        }
        if (alsa.snd_pcm_recover(pcm.handle(), err, 1) < 0) {
            return false;
        }
        overruns++;
        alsa.snd_pcm_start(pcm.handle());
        return true;
    }

    /** After an overrun: what was assembled so far is from before the gap, so it is lost with the gap. */
    private int dropPartial(int done, int wanted) {
        lostBuffers += Math.max(1, Math.round((double) (estimateLostFrames() + done) / wanted));
        return 0;
    }

    /** Frames the device produced since the last re-base that were never read: lost in the overrun. */
    private long estimateLostFrames() {
        long now = System.nanoTime();
        long produced = (now - baseNanos) * config.rate() / 1_000_000_000L;
        long lost = Math.max(0, produced - framesSinceBase);
        baseNanos = now;
        framesSinceBase = 0;
        return lost;
    }

    private SourceException failure(int err, String what) {
        return new SourceException("device " + pcm.device() + ": " + alsa.snd_strerror(err) + " (" + what + ")");
    }

    private void applyGain(short[] samples) {
        double gain = volume.softwareGain();
        if (gain == 1.0) {
            return;
        }
        int n = config.samplesPerBuffer();
        for (int i = 0; i < n; i++) {
            samples[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(samples[i] * gain)));
        }
    }

    @Override
    public long lostBuffers() {
        return lostBuffers;
    }

    /** The source is going away: the next read slice fails instead of touching the device. */
    void markGone(String reason) {
        goneReason = reason;
        gone = true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("pcm", pcmName);
        status.put("period_frames", negotiated.periodFrames());
        status.put("ring_frames", negotiated.bufferFrames());
        status.put("buffers", buffers);
        status.put("overruns", overruns);
        status.put("lost_buffers", lostBuffers);
        return status;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            pcm.close();
            volume.close();
        }
    }
}
