package io.earshot.device.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Decoded audio as a 16-bit PCM WAV file, its sizes written at the end. */
final class WavWriter implements Closeable {

    private final RandomAccessFile file;
    private final int channels;
    private long dataBytes;

    WavWriter(Path path, int rate, int channels) throws IOException {
        file = new RandomAccessFile(path.toFile(), "rw");
        file.setLength(0);
        this.channels = channels;
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36).put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        file.write(h.array());
    }

    void write(short[] samples, int frames) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames * channels; i++) b.putShort(samples[i]);
        file.write(b.array());
        dataBytes += b.capacity();
    }

    @Override
    public void close() throws IOException {
        try {
            ByteBuffer n = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            file.seek(4);
            file.write(n.putInt(0, (int) Math.min(0xFFFFFFFFL, 36 + dataBytes)).array());
            file.seek(40);
            file.write(n.putInt(0, (int) Math.min(0xFFFFFFFFL, dataBytes)).array());
        } finally {
            file.close();
        }
    }
}
