package io.earshot.recorder.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;

/**
 * One WAV file written as the stream arrives: RIFF/WAVE, PCM 16-bit little-endian, the canonical
 * 44-byte header. The header's sizes say what {@link #sync} last brought up to date; a file whose
 * writer died is put right by {@link #repair}, from its length.
 */
final class WavFile implements AutoCloseable {

    static final int HEADER_BYTES = 44;
    /**
     * A part ends before its file reaches 2 GiB: RIFF sizes are unsigned 32-bit, but many readers
     * (javax.sound among them) take them as signed, so a larger file would be unreadable there.
     */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

    private final Path path;
    private final FileChannel channel;
    private final StreamConfig config;
    private final int frameBytes;
    private final long maxDataBytes;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer sizes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    /** Direct, so the channel writes from it without copying it first. */
    private ByteBuffer samples;
    private ByteBuffer silence;
    private long dataBytes;

    /** Creates {@code path} (never overwrites) for {@code config}; at most {@code maxFileBytes} long. */
    WavFile(Path path, StreamConfig config, long maxFileBytes) throws IOException {
        this.path = path;
        this.config = config;
        this.frameBytes = config.channels() * 2;
        this.maxDataBytes = (Math.min(maxFileBytes, MAX_FILE_BYTES) - HEADER_BYTES) / frameBytes * frameBytes;
        if (maxDataBytes < frameBytes) {
            throw new IllegalArgumentException("a part of at most " + maxFileBytes + " bytes cannot hold one frame");
        }
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        putHeader(header, config, 0);
        writeFully(header.flip(), 0);
    }

    static void putHeader(ByteBuffer into, StreamConfig config, long dataBytes) {
        int channels = config.channels();
        into.order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) channels).putInt(config.rate()).putInt(config.rate() * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
    }

    Path path() {
        return path;
    }

    StreamConfig config() {
        return config;
    }

    long dataBytes() {
        return dataBytes;
    }

    long frames() {
        return dataBytes / frameBytes;
    }

    /** Frames that still fit in this part. */
    long roomFrames() {
        return (maxDataBytes - dataBytes) / frameBytes;
    }

    /** Appends frames {@code from} until {@code from + count} of {@code buffer}. */
    void append(AudioBuffer buffer, int from, int count) throws IOException {
        ByteBuffer bytes = scratch(buffer.config().bytesPerBuffer());
        buffer.writeLittleEndian(bytes);
        bytes.flip().position(from * frameBytes).limit((from + count) * frameBytes);
        writeFully(bytes, HEADER_BYTES + dataBytes);
        dataBytes += (long) count * frameBytes;
    }

    /** Appends {@code length} interleaved samples of {@code from} from {@code offset}: whole frames. */
    void append(short[] from, int offset, int length) throws IOException {
        ByteBuffer bytes = scratch(length * 2);
        bytes.asShortBuffer().put(from, offset, length);
        bytes.limit(length * 2);
        writeFully(bytes, HEADER_BYTES + dataBytes);
        dataBytes += length * 2L;
    }

    /** Appends {@code frames} frames of silence (buffers lost on the way). */
    void appendSilence(long frames) throws IOException {
        if (silence == null) {
            silence = ByteBuffer.allocateDirect(64 * 1024 / frameBytes * frameBytes + frameBytes); // zeros, never written to
        }
        long bytes = frames * frameBytes;
        while (bytes > 0) {
            silence.clear().limit((int) Math.min(silence.capacity() / frameBytes * frameBytes, bytes));
            int chunk = silence.remaining();
            writeFully(silence, HEADER_BYTES + dataBytes);
            dataBytes += chunk;
            bytes -= chunk;
        }
    }

    /** Brings the header's sizes up to what was written and forces data and header to the disk. */
    void sync() throws IOException {
        writeSize(4, 36 + dataBytes);
        writeSize(40, dataBytes);
        // without metadata: fdatasync still writes the file's length, which is what reading it back needs
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        try {
            sync();
        } finally {
            channel.close();
        }
    }

    private void writeSize(int at, long value) throws IOException {
        sizes.clear();
        sizes.putInt((int) value).flip();
        writeFully(sizes, at);
    }

    private ByteBuffer scratch(int capacity) {
        if (samples == null || samples.capacity() < capacity) {
            samples = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        }
        samples.clear();
        return samples;
    }

    private void writeFully(ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }

    /** What a file's header says, next to what its length allows. */
    record Header(int rate, int channels, int bitsPerSample, long declaredDataBytes, long fileBytes) {

        int frameBytes() {
            return channels * bitsPerSample / 8;
        }

        /** Whole frames present after the header. */
        long presentDataBytes() {
            long present = Math.max(0, fileBytes - HEADER_BYTES);
            return present / frameBytes() * frameBytes();
        }

        double seconds() {
            return (double) declaredDataBytes / frameBytes() / rate;
        }

        boolean consistent() {
            return declaredDataBytes == fileBytes - HEADER_BYTES;
        }
    }

    /**
     * The header of a WAV file this recorder writes (44 bytes, PCM 16-bit).
     *
     * @throws IOException when the file is not one: what was found instead
     */
    static Header read(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(file, path);
        }
    }

    private static Header read(FileChannel file, Path path) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (bytes.hasRemaining() && file.read(bytes, bytes.position()) > 0) {
            // until the header is in or the file ends
        }
        if (bytes.position() < HEADER_BYTES) {
            throw new IOException(path.getFileName() + " has " + bytes.position() + " bytes, less than a WAV header (44)");
        }
        if (!tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE") || !tag(bytes, 12, "fmt ") || !tag(bytes, 36, "data")
                || bytes.getInt(16) != 16 || bytes.getShort(20) != 1 || bytes.getShort(34) != 16 || bytes.getShort(22) <= 0) {
            throw new IOException(path.getFileName() + " is not a 44-byte-header 16-bit PCM WAV file as the recorder writes");
        }
        return new Header(bytes.getInt(24), bytes.getShort(22), 16, Integer.toUnsignedLong(bytes.getInt(40)), file.size());
    }

    private static boolean tag(ByteBuffer bytes, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            if (bytes.get(at + i) != tag.charAt(i)) return false;
        }
        return true;
    }

    /** What {@link #repair} did to a file. */
    record Repair(Path path, long declaredDataBytes, long dataBytes, long bytesCut) {
    }

    /**
     * Puts right a file whose writer stopped without closing it (a crash, kill -9): its sizes
     * from its length, a half-written last frame cut off. Null when the header was already right.
     */
    static Repair repair(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Header header = read(file, path);
            if (header.consistent() && header.declaredDataBytes() % header.frameBytes() == 0) {
                return null;
            }
            long data = header.presentDataBytes();
            if (HEADER_BYTES + data > MAX_FILE_BYTES) {
                throw new IOException(path.getFileName() + " has " + header.fileBytes() + " bytes, more than a part is written with ("
                        + MAX_FILE_BYTES + "); left as it is");
            }
            long cut = header.fileBytes() - HEADER_BYTES - data;
            file.truncate(HEADER_BYTES + data);
            ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            size.putInt(0, (int) (36 + data));
            file.write(size, 4);
            size.clear();
            size.putInt(0, (int) data);
            file.write(size, 40);
            file.force(true);
            return new Repair(path, header.declaredDataBytes(), data, cut);
        }
    }
}
