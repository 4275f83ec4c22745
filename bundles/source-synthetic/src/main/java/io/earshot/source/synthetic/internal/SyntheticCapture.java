package io.earshot.source.synthetic.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.earshot.api.Capture;
import io.earshot.api.StreamConfig;

/** One open stream of the simulated array: renders each buffer, then hands it out when its period has passed. */
final class SyntheticCapture implements Capture {

    private final StreamConfig config;
    private final Rendering scene;
    private final PeriodClock clock;
    private final long wallAtStartNanos;
    private final long monotonicAtStart;
    private final double gain;
    private volatile long frame;
    private volatile long buffers;

    SyntheticCapture(StreamConfig config, Rendering scene, PeriodClock.Ticker ticker) {
        this.config = config;
        this.scene = scene;
        this.gain = config.volume() / 100.0;
        this.clock = new PeriodClock(ticker, config.bufferFrames(), config.rate());
        this.monotonicAtStart = ticker.nanoTime();
        // microseconds, not currentTimeMillis: clients measure latency against this stamp
        this.wallAtStartNanos = Capture.epochNanos(java.time.Instant.now());
    }

    @Override
    public long read(short[] into) throws InterruptedException {
        // rendered before the period ends, so the buffer is ready the moment it is due, as a device's is
        scene.render(frame, config.bufferFrames(), gain, into);
        long lostBefore = clock.lost();
        long end = clock.awaitNext();
        long skipped = clock.lost() - lostBefore;
        if (skipped > 0) {
            // periods the reader was too late for are skipped in the scene too, as a device would
            frame += skipped * config.bufferFrames();
            scene.render(frame, config.bufferFrames(), gain, into);
        }
        frame += config.bufferFrames();
        buffers++;
        return wallAtStartNanos + (end - monotonicAtStart);
    }

    @Override
    public long lostBuffers() {
        return clock.lost();
    }

    /** The truth and the microphones of this capture, for the status of the stream that reads it. */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("truth", truth());
        status.put("mics", scene.geometry().asList());
        return status;
    }

    Map<String, Object> truth() {
        Map<String, Object> truth = new LinkedHashMap<>(scene.truth(Math.max(0, frame - 1)));
        truth.put("buffers_since_open", buffers);
        return truth;
    }

    @Override
    public void close() {
        // nothing held: the scene is garbage once the hub drops this capture
    }
}
