package io.earshot.devices.internal;

import java.util.Arrays;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;

/** One Opus encoder (Concentus: Opus in pure Java) of 20 ms frames at 48 kHz. */
final class Opus {

    static final int RATE = 48000;
    static final int FRAME = 960;
    static final long FRAME_NANOS = 20_000_000L;
    /** An Opus packet is at most 1275 bytes per frame (RFC 6716). */
    private static final int MAX_PACKET = 1275;

    private final OpusEncoder encoder;
    private final byte[] packet = new byte[MAX_PACKET];

    Opus(int channels, int bitratePerChannel, int complexity) {
        if (channels < 1 || channels > 2) throw new IllegalArgumentException("Opus here is mono or stereo, not " + channels + " channels");
        try {
            encoder = new OpusEncoder(RATE, channels, OpusApplication.OPUS_APPLICATION_AUDIO);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoder: " + e.getMessage(), e);
        }
        encoder.setBitrate(Math.max(6000, Math.min(256000, bitratePerChannel)) * channels);
        encoder.setComplexity(Math.max(0, Math.min(10, complexity)));
    }

    /** Encodes one frame ({@link #FRAME} x channels interleaved samples) into a new array. */
    byte[] encode(short[] frame) {
        try {
            int length = encoder.encode(frame, 0, FRAME, packet, 0, packet.length);
            return Arrays.copyOf(packet, length);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoding failed: " + e.getMessage(), e);
        }
    }
}
