package io.earshot.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

/** The nio client's frame parser over hand-built server byte streams, split across reads at awkward places. */
public class FrameParserTest {

    /** Records what the parser reports, one line per event. */
    private static final class Events implements FrameParser.Sink {
        final List<String> events = new ArrayList<>();
        boolean pauseAfterBinary;

        @Override
        public boolean binary(long size, byte[] head, int headLength) {
            StringBuilder b = new StringBuilder("binary ").append(size).append(" head");
            for (int i = 0; i < headLength; i++) b.append(' ').append(head[i]);
            events.add(b.toString());
            return !pauseAfterBinary;
        }

        @Override
        public void text(byte[] bytes, int length) {
            events.add("text " + new String(bytes, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void ping(byte[] payload, int length) {
            events.add("ping " + new String(payload, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void pong() { events.add("pong"); }

        @Override
        public void close(int code, String reason) { events.add("close " + code + " " + reason); }

        @Override
        public void failed(int code, String message) { events.add("failed " + code + " " + message); }
    }

    /** One unmasked server frame. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            b.write(n);
        } else if (n < 65536) {
            b.write(126);
            b.write(n >>> 8);
            b.write(n);
        } else {
            b.write(127);
            for (int i = 7; i >= 0; i--) b.write((int) ((long) n >>> (8 * i)));
        }
        b.writeBytes(payload);
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** A header-mode audio message: ES01, 24, sequence, capture, then {@code samples} bytes of 0x55. */
    private static byte[] audio(long sequence, int samples) {
        ByteBuffer b = ByteBuffer.allocate(24 + samples).order(ByteOrder.LITTLE_ENDIAN);
        b.put(utf8("ES01")).putInt(24).putLong(sequence).putLong(1_700_000_000_000_000_000L + sequence);
        while (b.hasRemaining()) b.put((byte) 0x55);
        return b.array();
    }

    private static String head(byte[] message) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(24, message.length); i++) b.append(' ').append(message[i]);
        return b.toString();
    }

    /**
     * Feeds {@code stream} to a new parser in reads of the given sizes (cycled), through one
     * reusable buffer as the client does (compact after each parse), and returns the events.
     */
    private static List<String> parse(byte[] stream, int... reads) {
        Events e = new Events();
        FrameParser p = new FrameParser(e);
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        int at = 0;
        for (int r = 0; at < stream.length; r++) {
            int n = Math.min(Math.min(reads[r % reads.length], buf.remaining()), stream.length - at);
            buf.put(stream, at, n);
            at += n;
            buf.flip();
            boolean all = p.parse(buf);
            if (p.ended()) {
                assertFalse(all);
            } else {
                assertTrue(all);
                assertFalse(buf.hasRemaining());
            }
            buf.compact();
            if (p.ended()) break;
        }
        return e.events;
    }

    /** The same stream must give the same events however it is split. */
    private static List<String> parseEverySplit(byte[] stream) {
        List<String> whole = parse(stream, stream.length);
        assertEquals(whole, parse(stream, 1));
        assertEquals(whole, parse(stream, 2));
        assertEquals(whole, parse(stream, 3, 1, 7));
        assertEquals(whole, parse(stream, 13));
        Random random = new Random(7);
        for (int k = 0; k < 20; k++) {
            int[] reads = new int[16];
            for (int i = 0; i < reads.length; i++) reads[i] = 1 + random.nextInt(random.nextBoolean() ? 16 : 70_000);
            assertEquals(whole, parse(stream, reads));
        }
        // every single split point of a short stream
        if (stream.length < 400) {
            for (int cut = 1; cut < stream.length; cut++) assertEquals("cut at " + cut, whole, parse(stream, cut, stream.length));
        }
        return whole;
    }

    @Test
    public void binaryMessagesWith7_16And64BitLengths() {
        byte[] small = audio(1, 100);       // 124 bytes: 7-bit length
        byte[] medium = audio(2, 3072);     // 3096 bytes: 16-bit length (6 ch x 256 frames)
        byte[] large = audio(3, 393_216);   // 48 ch x 4096 frames: 64-bit length, far over the read buffer
        byte[] stream = concat(frame(true, 2, small), frame(true, 2, medium), frame(true, 2, large));
        List<String> events = parseEverySplit(stream);
        assertEquals(List.of("binary 124 head" + head(small), "binary 3096 head" + head(medium),
                "binary 393240 head" + head(large)), events);
    }

    @Test
    public void aFrameHeaderSplitAcrossReads() {
        byte[] m = audio(5, 300);
        byte[] f = frame(true, 2, m);
        // 16-bit length: the 4-byte header cut after 1, 2 and 3 bytes
        for (int cut = 1; cut <= 3; cut++) {
            assertEquals(List.of("binary 324 head" + head(m)), parse(f, cut, f.length));
        }
        byte[] big = audio(6, 70_000);
        byte[] g = frame(true, 2, big);
        for (int cut = 1; cut <= 9; cut++) {
            assertEquals(List.of("binary 70024 head" + head(big)), parse(g, cut, 65_000));
        }
    }

    @Test
    public void fragmentedMessagesAndAPingInTheMiddle() {
        String json = "{\"buffer_frames\":256,\"rate\":48000,\"channels\":6,\"volume\":80}";
        byte[] stream = concat(
                frame(false, 1, utf8(json.substring(0, 10))),
                frame(false, 0, utf8(json.substring(10, 30))),
                frame(true, 9, utf8("are you there")),
                frame(true, 10, new byte[0]),
                frame(true, 0, utf8(json.substring(30))),
                // a binary message in three fragments, the 24-byte header itself split
                frame(false, 2, java.util.Arrays.copyOfRange(audio(9, 40), 0, 10)),
                frame(false, 0, java.util.Arrays.copyOfRange(audio(9, 40), 10, 30)),
                frame(true, 9, new byte[0]),
                frame(true, 0, java.util.Arrays.copyOfRange(audio(9, 40), 30, 64)),
                frame(true, 1, new byte[0]));
        List<String> events = parseEverySplit(stream);
        assertEquals(List.of("ping are you there", "pong", "text " + json, "ping ",
                "binary 64 head" + head(audio(9, 40)), "text "), events);
    }

    @Test
    public void closeFramesWithAndWithoutCodeAndReason() {
        ByteBuffer c = ByteBuffer.allocate(12);
        c.putShort((short) 1008).put(utf8("test close"));
        byte[] stream = concat(frame(true, 2, audio(1, 8)), frame(true, 8, c.array()), frame(true, 2, audio(2, 8)));
        List<String> events = parseEverySplit(stream);
        assertEquals(List.of("binary 32 head" + head(audio(1, 8)), "close 1008 test close"), events);

        assertEquals(List.of("close 1005 null"), parse(frame(true, 8, new byte[0]), 1));
        assertEquals(List.of("close 1000 null"), parse(frame(true, 8, new byte[] {0x03, (byte) 0xE8}), 1));
        assertEquals(List.of("failed 1002 close frame with a 1-byte payload"), parse(frame(true, 8, new byte[] {3}), 5));
    }

    @Test
    public void protocolErrorsEndTheStream() {
        // a masked frame from the server
        byte[] masked = {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 5};
        assertEquals(List.of("failed 1002 masked frame from the server"), parse(masked, 1));
        assertEquals(List.of("failed 1002 continuation frame without a message"), parse(frame(true, 0, new byte[3]), 100));
        assertEquals(List.of("failed 1002 new data frame before the last message ended"),
                parse(concat(frame(false, 1, utf8("a")), frame(true, 2, new byte[2])), 100));
        assertEquals(List.of("failed 1002 fragmented control frame"), parse(frame(false, 9, new byte[0]), 100));
        assertEquals(List.of("failed 1002 control frame payload over 125 bytes"), parse(frame(true, 9, new byte[126]), 100));
        assertEquals(List.of("failed 1002 unknown opcode 3"), parse(frame(true, 3, new byte[0]), 100));
        assertEquals(List.of("failed 1002 RSV bits set without an extension"), parse(new byte[] {(byte) 0xC2, 0}, 100));
        // text up to 64 KiB is fine, in fragments too; one byte more is not
        byte[] max = new byte[FrameParser.MAX_TEXT];
        java.util.Arrays.fill(max, (byte) 'x');
        List<String> ok = parse(concat(frame(false, 1, java.util.Arrays.copyOf(max, 1000)),
                frame(true, 0, java.util.Arrays.copyOfRange(max, 1000, max.length))), 4096);
        assertEquals(1, ok.size());
        assertEquals("text ".length() + FrameParser.MAX_TEXT, ok.get(0).length());
        assertEquals(List.of("failed 1009 text message over 65536 bytes"),
                parse(concat(frame(false, 1, java.util.Arrays.copyOf(max, 1000)),
                        frame(true, 0, java.util.Arrays.copyOf(max, FrameParser.MAX_TEXT - 999))), 4096));
    }

    @Test
    public void aPausedParserLeavesTheRestInTheBuffer() {
        Events e = new Events();
        e.pauseAfterBinary = true;
        FrameParser p = new FrameParser(e);
        byte[] first = frame(true, 2, audio(1, 16));
        byte[] stream = concat(frame(true, 1, utf8("{}")), first, frame(true, 2, audio(2, 16)));
        ByteBuffer buf = ByteBuffer.wrap(stream);
        assertFalse(p.parse(buf));
        assertEquals(List.of("text {}", "binary 40 head" + head(audio(1, 16))), e.events);
        assertEquals(4 + first.length, buf.position());
        e.pauseAfterBinary = false;
        assertTrue(p.parse(buf));
        assertFalse(buf.hasRemaining());
        assertEquals("binary 40 head" + head(audio(2, 16)), e.events.get(2));
    }

    @Test
    public void clientFramesAreMasked() {
        byte[] payload = new byte[125];
        int n = FrameParser.closePayload(1000, "close storm", payload);
        assertEquals(2 + 11, n);
        ByteBuffer out = ByteBuffer.allocate(256);
        int mask = 0x1234_5678;
        assertTrue(FrameParser.writeMasked(out, FrameParser.CLOSE, payload, 0, n, mask));
        out.flip();
        assertEquals((byte) 0x88, out.get());
        assertEquals((byte) (0x80 | n), out.get());
        byte[] key = new byte[4];
        out.get(key);
        assertEquals(mask, ByteBuffer.wrap(key).getInt());
        byte[] unmasked = new byte[n];
        for (int i = 0; i < n; i++) unmasked[i] = (byte) (out.get() ^ key[i & 3]);
        assertFalse(out.hasRemaining());
        assertEquals(1000, (unmasked[0] & 0xFF) << 8 | (unmasked[1] & 0xFF));
        assertEquals("close storm", new String(unmasked, 2, n - 2, StandardCharsets.UTF_8));
        // no code may be sent for 1005/1006; an over-long reason is cut, never inside a character
        assertEquals(0, FrameParser.closePayload(1006, "x", payload));
        int cut = FrameParser.closePayload(1000, "\u00e9".repeat(100), payload);
        assertEquals(2 + 122, cut);
        // no room: nothing written
        ByteBuffer tiny = ByteBuffer.allocate(8);
        assertFalse(FrameParser.writeMasked(tiny, FrameParser.PONG, payload, 0, 5, 0));
        assertEquals(0, tiny.position());
    }

    @Test
    public void acceptKeyAsInRfc6455() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", FrameParser.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
