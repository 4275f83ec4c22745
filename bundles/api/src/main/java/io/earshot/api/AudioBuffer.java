package io.earshot.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Objects;

/**
 * One captured buffer: {@code bufferFrames x channels} signed 16-bit samples, interleaved frame
 * by frame (f0c0 f0c1 ... f1c0 ...), exactly as on the easy-dsp wire.
 * <p>
 * Immutable and shared by every consumer of the stream, so it is never copied per consumer.
 * The views below either copy into an array the caller owns or are read-only.
 */
public final class AudioBuffer {

    /** Full scale of a 16-bit sample, for converting to floats in -1..1. */
    public static final float FULL_SCALE = 32768f;

    private final String stream;
    private final StreamConfig config;
    private final long sequence;
    private final long captureNanos;
    private final short[] samples;

    /**
     * @param config       the stream config the samples were captured with
     * @param sequence     position in the stream: consecutive buffers differ by one, so a gap
     *                     shows buffers the source lost
     * @param captureNanos wall-clock capture time of the buffer's last frame, in nanoseconds since
     *                     the Unix epoch (comparable across processes on synchronised clocks)
     * @param samples      interleaved samples; ownership passes to this buffer, the caller must
     *                     not change the array afterwards
     */
    public AudioBuffer(StreamConfig config, long sequence, long captureNanos, short[] samples) {
        this(Streams.MAIN, config, sequence, captureNanos, samples);
    }

    /**
     * A buffer of the stream {@code stream}; the other parameters as above.
     *
     * @since 1.7
     */
    public AudioBuffer(String stream, StreamConfig config, long sequence, long captureNanos, short[] samples) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.config = Objects.requireNonNull(config, "config");
        this.samples = Objects.requireNonNull(samples, "samples");
        if (samples.length != config.samplesPerBuffer()) {
            throw new IllegalArgumentException("expected " + config.samplesPerBuffer() + " samples for "
                    + config + ", got " + samples.length);
        }
        this.sequence = sequence;
        this.captureNanos = captureNanos;
    }

    /**
     * The id of the stream this buffer belongs to ({@link Streams#MAIN} unless the runtime runs
     * several); a listener of every stream tells them apart by it.
     *
     * @since 1.7
     */
    public String stream() { return stream; }

    public StreamConfig config() { return config; }

    public long sequence() { return sequence; }

    public long captureNanos() { return captureNanos; }

    public int frames() { return config.bufferFrames(); }

    public int channels() { return config.channels(); }

    /** The sample of {@code channel} in {@code frame}. */
    public short sample(int frame, int channel) {
        checkChannel(channel);
        return samples[frame * config.channels() + channel];
    }

    /** A read-only view of all interleaved samples, without copying. */
    public ShortBuffer samples() {
        return ShortBuffer.wrap(samples).asReadOnlyBuffer();
    }

    /** Copies the interleaved samples into {@code into} (at least {@code frames x channels} long). */
    public void copyTo(short[] into) {
        System.arraycopy(samples, 0, into, 0, samples.length);
    }

    /** One channel as floats in -1..1, in a new array. */
    public float[] channel(int channel) {
        float[] out = new float[frames()];
        channel(channel, out);
        return out;
    }

    /** One channel as floats in -1..1, written into {@code into} (reused across buffers to avoid garbage). */
    public void channel(int channel, float[] into) {
        checkChannel(channel);
        int step = config.channels();
        for (int f = 0, i = channel; f < frames(); f++, i += step) {
            into[f] = samples[i] / FULL_SCALE;
        }
    }

    /** One channel as doubles in -1..1, written into {@code into}. */
    public void channel(int channel, double[] into) {
        checkChannel(channel);
        int step = config.channels();
        for (int f = 0, i = channel; f < frames(); f++, i += step) {
            into[f] = samples[i] / FULL_SCALE;
        }
    }

    /** The raw samples of one frame (one per channel), in a new array. */
    public short[] frame(int frame) {
        short[] out = new short[config.channels()];
        System.arraycopy(samples, frame * config.channels(), out, 0, out.length);
        return out;
    }

    /** Writes the samples as easy-dsp's wire bytes (S16LE interleaved) into {@code out} at its position. */
    public void writeLittleEndian(ByteBuffer out) {
        ByteOrder order = out.order();
        out.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(samples);
        out.position(out.position() + samples.length * 2);
        out.order(order);
    }

    private void checkChannel(int channel) {
        if (channel < 0 || channel >= config.channels()) {
            throw new IndexOutOfBoundsException("channel " + channel + " of " + config.channels());
        }
    }

    @Override
    public String toString() {
        return "AudioBuffer[" + (Streams.MAIN.equals(stream) ? "" : stream + " ") + "seq=" + sequence + ", " + frames() + "x" + channels() + " @ " + config.rate() + " Hz]";
    }
}
