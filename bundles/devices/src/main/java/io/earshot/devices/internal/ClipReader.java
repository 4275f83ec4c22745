package io.earshot.devices.internal;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 16-bit PCM WAV file read as it plays, 20 ms at a time, as 48 kHz mono or stereo (linear
 * interpolation from other rates), so a clip of hours costs no more memory than one of seconds.
 * Mono from a stereo file is the mix of both; from more channels (a recording of the array) it is
 * channel 0, since mixing microphones a few centimetres apart colours the sound.
 */
final class ClipReader implements Closeable {

    private record Header(int channels, int rate, long frames) {
    }

    private final DataInputStream in;
    private final Header header;
    private final int channels;
    private final long outFrames;
    private final double step;
    private final float[] prev;
    private final float[] cur;
    private final byte[] frameBytes;
    private long sourceLeft;
    private long produced;
    private double t;

    /**
     * @param maxChannels 1 or 2: what the device plays
     * @throws IOException with what is wrong with the file
     */
    ClipReader(Path file, int maxChannels) throws IOException {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            header = header(in, file.getFileName().toString(), Files.size(file));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        channels = header.channels >= 2 && maxChannels >= 2 ? 2 : 1;
        sourceLeft = header.frames;
        outFrames = (header.frames * Opus.RATE + header.rate - 1) / header.rate;
        step = header.rate / (double) Opus.RATE;
        prev = new float[channels];
        cur = new float[channels];
        frameBytes = new byte[2 * header.channels];
        next(prev);
        next(cur);
    }

    private static Header header(DataInputStream in, String name, long fileSize) throws IOException {
        try {
            if (!"RIFF".equals(tag(in))) throw new IOException(name + " is not a WAV file (no RIFF header)");
            in.readInt();
            if (!"WAVE".equals(tag(in))) throw new IOException(name + " is not a WAV file (no WAVE tag)");
            long offset = 12;
            int format = -1, channels = 0, rate = 0, bits = 0;
            while (true) {
                String id = tag(in);
                long size = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
                offset += 8;
                if (id.equals("data")) {
                    if (format < 0) throw new IOException(name + ": no fmt chunk before the data");
                    if (format != 1 && format != 0xFFFE) throw new IOException(name + ": only PCM WAV files play, not format " + format);
                    if (bits != 16) throw new IOException(name + ": only 16-bit WAV files play, this one has " + bits + " bits");
                    if (channels < 1 || channels > 64 || rate < 8000 || rate > 192000) {
                        throw new IOException(name + ": " + channels + " channels at " + rate
                                + " Hz; clips play with 1 to 64 channels at 8 to 192 kHz");
                    }
                    // a file still being written may claim 0 or more than it has: its length wins
                    long available = fileSize - offset;
                    long bytes = size == 0 || size > available ? available : size;
                    return new Header(channels, rate, bytes / (2L * channels));
                }
                if (id.equals("fmt ")) {
                    if (size < 16) throw new IOException(name + ": fmt chunk of " + size + " bytes");
                    format = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                    channels = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                    rate = Integer.reverseBytes(in.readInt());
                    in.skipNBytes(6);
                    bits = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                    in.skipNBytes(size - 16 + (size & 1));
                } else {
                    in.skipNBytes(size + (size & 1));
                }
                offset += size + (size & 1);
            }
        } catch (EOFException e) {
            throw new IOException(name + " ends before its header does (no data chunk)");
        }
    }

    private static String tag(DataInputStream in) throws IOException {
        byte[] b = new byte[4];
        in.readFully(b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** 1 or 2. */
    int channels() {
        return channels;
    }

    /** The clip's length at 48 kHz. */
    long frames() {
        return outFrames;
    }

    long producedFrames() {
        return produced;
    }

    boolean done() {
        return produced >= outFrames;
    }

    /**
     * The next 20 ms (interleaved, {@link Opus#FRAME} x channels), zeros past the end.
     * @throws IOException when the file cannot be read any more (deleted, truncated)
     */
    void read(short[] frame) throws IOException {
        for (int f = 0; f < Opus.FRAME; f++) {
            boolean inside = produced < outFrames;
            for (int c = 0; c < channels; c++) {
                float v = inside ? prev[c] + (cur[c] - prev[c]) * (float) t : 0f;
                frame[f * channels + c] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
            }
            if (inside) {
                produced++;
                t += step;
                while (t >= 1) {
                    t -= 1;
                    System.arraycopy(cur, 0, prev, 0, channels);
                    next(cur);
                }
            }
        }
    }

    private void next(float[] into) throws IOException {
        if (sourceLeft <= 0) {
            java.util.Arrays.fill(into, 0f);
            return;
        }
        try {
            in.readFully(frameBytes);
        } catch (EOFException e) {
            throw new IOException("the clip file ended early (was it truncated or deleted?)");
        }
        sourceLeft--;
        int n = header.channels;
        if (channels == 2) {
            into[0] = sample(0);
            into[1] = sample(n > 1 ? 1 : 0);
        } else {
            into[0] = n == 2 ? (sample(0) + sample(1)) / 2f : sample(0);
        }
    }

    private float sample(int channel) {
        return (short) ((frameBytes[2 * channel] & 0xFF) | (frameBytes[2 * channel + 1] << 8));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
