package io.earshot.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 6455 frames as a client reads them, parsed straight out of the socket's read buffer with no
 * copy of whole messages: of a binary message it keeps only the size and the first
 * {@link ClientStats#HEADER_BYTES} bytes, of a text message the bytes (up to {@link #MAX_TEXT}), of
 * a control frame its payload (at most 125 bytes). Frames and frame headers may be split anywhere
 * across reads; control frames may come between the fragments of a message. Nothing is allocated
 * per message, except when a text message outgrows the text array (at most a few times per
 * connection) and for the reason of a close frame.
 * <p>
 * Also the client's side of the protocol that the nio client needs: masked control frames and the
 * handshake's accept key.
 */
final class FrameParser {

    /** The largest text message accepted (the config JSON is a few hundred bytes). */
    static final int MAX_TEXT = 64 * 1024;

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int PROTOCOL_ERROR = 1002;
    static final int TOO_BIG = 1009;
    /** No status code in the close frame (never sent). */
    static final int NO_CODE = 1005;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** What the parser found. Called on the thread that calls {@link #parse}. */
    interface Sink {
        /**
         * A complete binary message.
         *
         * @param size       its payload bytes (all fragments)
         * @param head       its first bytes (up to {@link ClientStats#HEADER_BYTES}); valid during the call only
         * @param headLength how many of them there are
         * @return false to pause: {@link #parse} returns right after this message, the bytes after it stay
         *         in the buffer
         */
        boolean binary(long size, byte[] head, int headLength);

        /** A complete text message; {@code bytes} is valid during the call only. */
        void text(byte[] bytes, int length);

        /** A ping; the payload is valid during the call only. */
        void ping(byte[] payload, int length);

        void pong();

        /** A close frame; parsing ends with it. {@code reason} is null if there is none. */
        void close(int code, String reason);

        /** The stream breaks the protocol (or the limits); parsing ends. */
        void failed(int code, String message);
    }

    private static final int HEADER = 0;
    private static final int PAYLOAD = 1;
    private static final int ENDED = 2;

    private final Sink sink;
    private int state = HEADER;

    // the frame header, gathered byte by byte (it may be split across reads)
    private final byte[] frameHeader = new byte[14];
    private int frameHeaderFill;

    // the current frame
    private int opcode;
    private boolean fin;
    private long payloadLeft;
    private final byte[] control = new byte[125];
    private int controlFill;

    // the current data message: TEXT, BINARY, or -1 between messages
    private int messageType = -1;
    private long messageSize;
    private final byte[] head = new byte[ClientStats.HEADER_BYTES];
    private int headFill;
    private byte[] text = new byte[1024];
    private int textLength;

    FrameParser(Sink sink) {
        this.sink = sink;
    }

    /** True once a close frame or a protocol error ended the stream. */
    boolean ended() { return state == ENDED; }

    /**
     * Parses what {@code buf} holds from its position to its limit, and moves its position past
     * what it consumed: everything, unless the sink paused after a binary message or the stream
     * ended.
     *
     * @return true if it consumed everything; false if paused or ended
     */
    boolean parse(ByteBuffer buf) {
        while (true) {
            if (state == ENDED) return false;
            if (state == HEADER) {
                if (!buf.hasRemaining()) return true;
                if (!header(buf)) return true;
                if (state == ENDED) return false;
                if (payloadLeft == 0) {
                    if (!frameDone()) return false;
                    continue;
                }
                state = PAYLOAD;
            }
            // PAYLOAD
            int n = buf.remaining();
            if (n == 0) return true;
            int take = (int) Math.min(n, payloadLeft);
            int pos = buf.position();
            if (opcode >= CLOSE) {
                buf.get(pos, control, controlFill, take);
                controlFill += take;
            } else if (messageType == BINARY) {
                if (headFill < head.length) {
                    int h = Math.min(take, head.length - headFill);
                    buf.get(pos, head, headFill, h);
                    headFill += h;
                }
                messageSize += take;
            } else {
                buf.get(pos, text, textLength, take);   // room was made when the frame started
                textLength += take;
            }
            buf.position(pos + take);
            payloadLeft -= take;
            if (payloadLeft == 0) {
                state = HEADER;
                if (!frameDone()) return false;
            }
        }
    }

    /** Gathers the frame header; true when it is complete (and checked: the state may be ENDED). */
    private boolean header(ByteBuffer buf) {
        while (frameHeaderFill < 2) {
            if (!buf.hasRemaining()) return false;
            frameHeader[frameHeaderFill++] = buf.get();
        }
        int b1 = frameHeader[1] & 0xFF;
        int len7 = b1 & 0x7F;
        boolean masked = (b1 & 0x80) != 0;
        int need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        while (frameHeaderFill < need) {
            if (!buf.hasRemaining()) return false;
            frameHeader[frameHeaderFill++] = buf.get();
        }
        frameHeaderFill = 0;

        int b0 = frameHeader[0] & 0xFF;
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        long length;
        if (len7 == 126) {
            length = (frameHeader[2] & 0xFF) << 8 | (frameHeader[3] & 0xFF);
        } else if (len7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) length = length << 8 | (frameHeader[i] & 0xFF);
            if (length < 0) return fail(PROTOCOL_ERROR, "frame length over 2^63");
        } else {
            length = len7;
        }
        payloadLeft = length;
        if ((b0 & 0x70) != 0) return fail(PROTOCOL_ERROR, "RSV bits set without an extension");
        if (masked) return fail(PROTOCOL_ERROR, "masked frame from the server");
        switch (opcode) {
            case CLOSE, PING, PONG -> {
                if (!fin) return fail(PROTOCOL_ERROR, "fragmented control frame");
                if (length > 125) return fail(PROTOCOL_ERROR, "control frame payload over 125 bytes");
                controlFill = 0;
            }
            case TEXT, BINARY -> {
                if (messageType >= 0) return fail(PROTOCOL_ERROR, "new data frame before the last message ended");
                messageType = opcode;
                messageSize = 0;
                headFill = 0;
                textLength = 0;
                if (opcode == TEXT && !textRoom(length)) return true;
            }
            case CONTINUATION -> {
                if (messageType < 0) return fail(PROTOCOL_ERROR, "continuation frame without a message");
                if (messageType == TEXT && !textRoom(length)) return true;
            }
            default -> {
                return fail(PROTOCOL_ERROR, "unknown opcode " + opcode);
            }
        }
        return true;
    }

    /** Makes room for {@code more} text bytes; false (and ENDED) if the message would be too big. */
    private boolean textRoom(long more) {
        long need = textLength + more;
        if (need > MAX_TEXT) {
            fail(TOO_BIG, "text message over " + MAX_TEXT + " bytes");
            return false;
        }
        if (need > text.length) {
            byte[] bigger = new byte[(int) Math.min(MAX_TEXT, Math.max(need, 2L * text.length))];
            System.arraycopy(text, 0, bigger, 0, textLength);
            text = bigger;
        }
        return true;
    }

    /** A frame's payload is complete; false if parsing must stop (paused or ended). */
    private boolean frameDone() {
        switch (opcode) {
            case PING -> sink.ping(control, controlFill);
            case PONG -> sink.pong();
            case CLOSE -> {
                state = ENDED;
                if (controlFill == 1) {
                    sink.failed(PROTOCOL_ERROR, "close frame with a 1-byte payload");
                } else if (controlFill == 0) {
                    sink.close(NO_CODE, null);
                } else {
                    int code = (control[0] & 0xFF) << 8 | (control[1] & 0xFF);
                    String reason = controlFill > 2 ? new String(control, 2, controlFill - 2, StandardCharsets.UTF_8) : null;
                    sink.close(code, reason);
                }
                return false;
            }
            default -> {
                if (!fin) return true;
                int type = messageType;
                messageType = -1;
                if (type == TEXT) {
                    sink.text(text, textLength);
                } else {
                    return sink.binary(messageSize, head, headFill);
                }
            }
        }
        return true;
    }

    private boolean fail(int code, String message) {
        state = ENDED;
        sink.failed(code, message);
        return true;
    }

    // ------------------------------------------------------------ the client's side

    /**
     * Writes one masked client frame (FIN set) into {@code out}.
     *
     * @return false, writing nothing, if {@code out} has not room for it
     */
    static boolean writeMasked(ByteBuffer out, int opcode, byte[] payload, int offset, int length, int maskKey) {
        if (length > 125) throw new IllegalArgumentException("control payload over 125 bytes");
        if (out.remaining() < 6 + length) return false;
        out.put((byte) (0x80 | opcode));
        out.put((byte) (0x80 | length));
        out.putInt(maskKey);                 // big-endian: mask byte i is (maskKey >>> 24 - 8 * i)
        for (int i = 0; i < length; i++) out.put((byte) (payload[offset + i] ^ (maskKey >>> (24 - 8 * (i & 3)))));
        return true;
    }

    /**
     * The payload of a close frame: the code and as much of the UTF-8 reason as fits in 125 bytes;
     * nothing for a code that must not be sent (1005, 1006, 1015).
     */
    static int closePayload(int code, String reason, byte[] into) {
        if (code == NO_CODE || code == 1006 || code == 1015 || code < 1000 || code > 4999) return 0;
        into[0] = (byte) (code >>> 8);
        into[1] = (byte) code;
        if (reason == null) return 2;
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(r.length, 123);
        while (n < r.length && n > 0 && (r[n] & 0xC0) == 0x80) n--;   // do not cut a character in two
        System.arraycopy(r, 0, into, 2, n);
        return 2 + n;
    }

    /** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)). */
    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
