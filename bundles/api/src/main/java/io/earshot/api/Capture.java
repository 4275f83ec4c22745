package io.earshot.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open capture. Only the hub's capture thread calls it: no method needs to be thread-safe
 * except {@link #close()}, which the hub calls from that same thread.
 */
@ConsumerType
public interface Capture extends AutoCloseable {

    /**
     * Blocks until the next full buffer is available and writes it, interleaved, into
     * {@code into} ({@code bufferFrames x channels} samples).
     *
     * @return the wall-clock time of the buffer's last frame, in nanoseconds since the epoch
     * @throws SourceException      when the source failed; the hub closes it and retries
     * @throws InterruptedException when the capture thread is interrupted (stop or reconfigure)
     */
    long read(short[] into) throws SourceException, InterruptedException;

    /**
     * Buffers lost so far inside the source (overruns, reconnections). The hub adds this to the
     * sequence numbers, so consumers see the gap.
     */
    default long lostBuffers() {
        return 0;
    }

    /**
     * Facts about this capture for the status document, shown under the stream's source (plain
     * values: strings, numbers, lists, maps), e.g. a simulation's ground truth; read from any thread.
     *
     * @since 1.7
     */
    default java.util.Map<String, Object> details() {
        return java.util.Map.of();
    }

    @Override
    void close();

    /** {@code time} in the unit {@link #read} returns: nanoseconds since the epoch. */
    static long epochNanos(Instant time) {
        return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }
}
