package io.earshot.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A stretch of the stream recorded by the {@link Recorder}: the samples of the buffers it got,
 * interleaved S16 as in {@link AudioBuffer}. Buffers lost on the way are missing from it, not
 * filled in; {@code lostBuffers} says how many.
 *
 * @param config        the stream's config while recording
 * @param firstSequence sequence number of the first buffer recorded
 * @param lostBuffers   buffers of the stretch the recorder did not get (sequence gaps)
 * @param samples       interleaved samples, {@code frames() x config.channels()}
 */
public record AudioClip(StreamConfig config, long firstSequence, long lostBuffers, short[] samples) {

    public int frames() {
        return samples.length / config.channels();
    }

    public double seconds() {
        return (double) frames() / config.rate();
    }

    /** One channel as floats in -1..1 (a copy). */
    public float[] channel(int channel) {
        if (channel < 0 || channel >= config.channels()) {
            throw new IndexOutOfBoundsException("channel " + channel + " of " + config.channels());
        }
        float[] out = new float[frames()];
        for (int f = 0; f < out.length; f++) {
            out[f] = samples[f * config.channels() + channel] / AudioBuffer.FULL_SCALE;
        }
        return out;
    }

    /** Writes the clip as a 16-bit PCM WAV file with all its channels. */
    public void writeWav(OutputStream out) throws IOException {
        int channels = config.channels();
        long dataBytes = (long) samples.length * 2;
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) channels).putInt(config.rate()).putInt(config.rate() * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        out.write(header.array());
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (short sample : samples) {
            if (!chunk.hasRemaining()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            chunk.putShort(sample);
        }
        out.write(chunk.array(), 0, chunk.position());
    }
}
