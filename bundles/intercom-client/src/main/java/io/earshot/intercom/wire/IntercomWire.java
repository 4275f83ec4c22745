package io.earshot.intercom.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The intercom's wire format, shared by the runtime and {@code bin/earshot-intercom}.
 *
 * <pre>
 * client: EARSHOT-INTERCOM 1[ token=T]\n       (one line, at most MAX_LINE_BYTES)
 * server: OK EARSHOT-INTERCOM 1\n  or  REFUSED CODE: reason\n, then it closes
 * server: frames, each a 24-byte header and exactly `length` bytes (a clip: a WAV file)
 * client: any line (PING\n) at least every KEEPALIVE_SECONDS
 * </pre>
 *
 * The header, little-endian: {@code ESIC}, uint8 version, uint8 kind (clip, keep-alive),
 * uint16 format (WAV S16LE; 0 for a keep-alive), uint32 clip number, int32 rate, uint16
 * channels, uint16 bits per sample, uint32 length.
 */
public final class IntercomWire {

    public static final int VERSION = 1;
    public static final String PROTOCOL = "EARSHOT-INTERCOM";
    public static final int DEFAULT_PORT = 7323;
    /** Hello and answer lines, the {@code \n} included (a token is at most 256 characters). */
    public static final int MAX_LINE_BYTES = 512;
    public static final int HEADER_BYTES = 24;
    public static final int KIND_CLIP = 1;
    public static final int KIND_KEEPALIVE = 2;
    public static final int FORMAT_WAV_S16LE = 1;
    /** The largest clip either side accepts: 16 MiB (29 s of 6 channels at 48 kHz, 3.6 s of 48). */
    public static final int MAX_CLIP_BYTES = 16 * 1024 * 1024;
    /** Both sides send something at least this often: the server a keep-alive frame, the client a line. */
    public static final int KEEPALIVE_SECONDS = 5;
    /** A side that has heard nothing for this long takes the other for dead. */
    public static final int SILENCE_LIMIT_SECONDS = 15;

    /** Refusal codes: the client gives up on these, since trying again cannot help. */
    public static final String REFUSED_HELLO = "hello";
    public static final String REFUSED_VERSION = "version";
    public static final String REFUSED_TOKEN = "token";
    public static final String REFUSED_HOST = "host";
    /** A refusal code the client retries after: the server has no room for now. */
    public static final String REFUSED_FULL = "full";

    private static final byte[] MAGIC = {'E', 'S', 'I', 'C'};

    private IntercomWire() {
    }

    /** A frame header. */
    public record Header(int version, int kind, int format, long clip, int rate, int channels, int bits, long length) {

        public boolean isClip() {
            return kind == KIND_CLIP;
        }
    }

    /** The first line a client sends. */
    public record Hello(int version, String token) {
    }

    public static String hello(String token) {
        return PROTOCOL + " " + VERSION + (token == null ? "" : " token=" + token) + "\n";
    }

    public static String accepted() {
        return "OK " + PROTOCOL + " " + VERSION + "\n";
    }

    public static String refused(String code, String reason) {
        return "REFUSED " + code + ": " + reason.replaceAll("[\\r\\n]", " ") + "\n";
    }

    /**
     * The hello line (without its line end) as a client sent it.
     *
     * @throws IllegalArgumentException with what was wrong, its message starting with the refusal code
     */
    public static Hello parseHello(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length < 2 || parts.length > 3 || !parts[0].equals(PROTOCOL)) {
            throw new IllegalArgumentException(REFUSED_HELLO + ": expected '" + PROTOCOL + " " + VERSION
                    + "[ token=T]' as the first line, got '" + quote(line) + "'");
        }
        int version;
        try {
            version = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(REFUSED_HELLO + ": the version must be a number, got '" + quote(parts[1]) + "'");
        }
        if (version != VERSION) {
            throw new IllegalArgumentException(REFUSED_VERSION + ": this side speaks " + PROTOCOL + " " + VERSION
                    + ", the client asked for " + version);
        }
        String token = null;
        if (parts.length == 3) {
            if (!parts[2].startsWith("token=") || parts[2].length() == 6) {
                throw new IllegalArgumentException(REFUSED_HELLO + ": after the version only 'token=T' may follow, got '"
                        + quote(parts[2]) + "'");
            }
            token = parts[2].substring(6);
        }
        return new Hello(version, token);
    }

    /** Up to 60 characters of what a peer sent, control characters escaped, for a message. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 60; i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c == 127 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return text.length() > 60 ? out + "..." : out.toString();
    }

    /**
     * One line, read byte by byte up to {@code \n} (a {@code \r} before it is dropped), so that
     * nothing after it is consumed.
     *
     * @throws ProtocolException when it is longer than {@link #MAX_LINE_BYTES}
     * @throws EOFException      when the stream ends first
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(line.size() == 0 ? "closed before a line" : "closed in the middle of a line");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() + 1 >= MAX_LINE_BYTES) {
                throw new ProtocolException("a line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    public static byte[] clipHeader(long clip, int rate, int channels, int length) {
        return header(KIND_CLIP, FORMAT_WAV_S16LE, clip, rate, channels, 16, length);
    }

    public static byte[] keepAliveHeader() {
        return header(KIND_KEEPALIVE, 0, 0, 0, 0, 0, 0);
    }

    private static byte[] header(int kind, int format, long clip, int rate, int channels, int bits, int length) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).put((byte) VERSION).put((byte) kind).putShort((short) format).putInt((int) clip)
                .putInt(rate).putShort((short) channels).putShort((short) bits).putInt(length);
        return header.array();
    }

    /**
     * A header as read from the wire.
     *
     * @throws ProtocolException when it is not one this side can follow (the stream is then lost:
     *                           close the connection)
     */
    public static Header parseHeader(byte[] bytes) throws ProtocolException {
        if (bytes.length != HEADER_BYTES) {
            throw new ProtocolException("a header is " + HEADER_BYTES + " bytes, got " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (in.get() != m) {
                throw new ProtocolException("not an intercom frame: the header does not start with ESIC");
            }
        }
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new ProtocolException("frame version " + version + "; this side reads version " + VERSION);
        }
        Header header = new Header(version, in.get() & 0xff, in.getShort() & 0xffff, in.getInt() & 0xffffffffL,
                in.getInt(), in.getShort() & 0xffff, in.getShort() & 0xffff, in.getInt() & 0xffffffffL);
        if (header.kind() == KIND_KEEPALIVE) {
            if (header.length() != 0) throw new ProtocolException("a keep-alive with " + header.length() + " bytes");
        } else if (header.kind() == KIND_CLIP) {
            if (header.format() != FORMAT_WAV_S16LE) throw new ProtocolException("clip format " + header.format() + " is unknown");
            if (header.length() > MAX_CLIP_BYTES) {
                throw new ProtocolException("a clip of " + header.length() + " bytes; at most " + MAX_CLIP_BYTES);
            }
        } else {
            throw new ProtocolException("frame kind " + header.kind() + " is unknown");
        }
        return header;
    }

    /** Exactly {@code length} bytes. */
    public static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("closed after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }
}
