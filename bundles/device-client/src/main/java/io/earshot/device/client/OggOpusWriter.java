package io.earshot.device.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Opus packets as an Ogg Opus file (RFC 7845) that opus-tools' {@code opusdec} and players read:
 * the identification header (OpusHead), the comment header (OpusTags), then one packet per
 * page with its granule position (48 kHz samples so far).
 */
final class OggOpusWriter implements Closeable {

    /** What libopus's encoder puts ahead of the audio at 48 kHz, and decoders skip. */
    static final int PRE_SKIP = 312;
    private static final int[] CRC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int b = 0; b < 8; b++) r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            CRC[i] = r;
        }
    }

    private final OutputStream out;
    private final int serial = (int) System.nanoTime();
    private int pageSequence;
    private long granule;
    private byte[] held;
    private long heldGranule;

    OggOpusWriter(OutputStream out, int channels) throws IOException {
        this.out = out;
        ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) channels)
                .putShort((short) PRE_SKIP).putInt(48000).putShort((short) 0).put((byte) 0);
        page(head.array(), 0, 0x02);
        byte[] vendor = "earshot-device".getBytes(StandardCharsets.UTF_8);
        ByteBuffer tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(vendor.length).put(vendor).putInt(0);
        page(tags.array(), 0, 0);
    }

    /** One packet of {@code samples} 48 kHz samples (per channel). Held back one, so the last can be marked. */
    void write(byte[] packet, int samples) throws IOException {
        if (held != null) page(held, heldGranule, 0);
        granule += samples;
        held = packet;
        heldGranule = granule;
    }

    private void page(byte[] packet, long granulePosition, int flags) throws IOException {
        int segments = packet.length / 255 + 1;
        if (segments > 255) throw new IOException("an Opus packet of " + packet.length + " bytes does not fit one Ogg page");
        ByteBuffer page = ByteBuffer.allocate(27 + segments + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) flags).putLong(granulePosition)
                .putInt(serial).putInt(pageSequence++).putInt(0).put((byte) segments);
        for (int i = 0; i < segments - 1; i++) page.put((byte) 255);
        page.put((byte) (packet.length % 255));
        page.put(packet);
        byte[] bytes = page.array();
        int crc = 0;
        for (byte b : bytes) crc = (crc << 8) ^ CRC[((crc >>> 24) ^ b) & 0xFF];
        page.putInt(22, crc);
        out.write(bytes);
    }

    @Override
    public void close() throws IOException {
        try {
            if (held != null) page(held, heldGranule, 0x04);
            else page(new byte[0], granule, 0x04);
        } finally {
            out.close();
        }
    }
}
