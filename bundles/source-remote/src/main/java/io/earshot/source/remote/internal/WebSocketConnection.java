package io.earshot.source.remote.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.earshot.api.SourceException;

/**
 * A WebSocket client connection (RFC 6455) of our own, over a socket channel. The opening
 * handshake is the plain one every server takes: GET with Host, Upgrade, Connection,
 * Sec-WebSocket-Key and Sec-WebSocket-Version, and nothing that suggests a body (the JDK's
 * client sent {@code Content-Length: 0}, which Python's websockets refuses). A refused handshake
 * is reported with the server's answer. Connecting is interruptible: an interrupt closes the
 * channel at once, so an abandoned attempt cannot complete later and stay open.
 * <p>
 * After the handshake a reader thread of its own delivers whole messages to the listener.
 */
final class WebSocketConnection implements AutoCloseable {

    /** What the reader thread delivers; never called after {@link #close()}. */
    interface Listener {
        void onText(String text);

        void onBinary(byte[] bytes);

        void onClose(int code, String reason);

        void onError(String reason);
    }

    static final int MAX_MESSAGE_BYTES = 16 << 20;
    private static final int MAX_HEAD_BYTES = 16 << 10;
    /** What of a refusal is quoted. */
    static final int EXCERPT_CHARS = 200;
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String address;
    private volatile boolean closed;

    private WebSocketConnection(Socket socket, InputStream in, String address) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.address = address;
    }

    /**
     * Connects and completes the opening handshake; then {@code listener} gets the messages.
     *
     * @throws SourceException with what went wrong in words (refused, unknown host, timed out,
     *                         the server's answer to the handshake)
     * @throws InterruptedException when the calling thread was interrupted; nothing stays open
     */
    static WebSocketConnection open(URI uri, Listener listener, int timeoutMillis) throws SourceException, InterruptedException {
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        if (host == null) {
            throw new SourceException("'" + uri + "' names no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        String address = host + ":" + port;
        SocketChannel channel = null;
        boolean opened = false;
        try {
            InetAddress resolved = InetAddress.getByName(host);
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(resolved, port), timeoutMillis);
            Socket socket = channel.socket();
            if (secure) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                socket = tls;
            }
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            WebSocketConnection connection = new WebSocketConnection(socket, new BufferedInputStream(socket.getInputStream()), address);
            connection.handshake(uri, host, port, secure);
            socket.setSoTimeout(0); // the capture's own silence limit decides from here
            Thread reader = new Thread(() -> connection.readMessages(listener), "earshot-remote-" + address);
            reader.setDaemon(true);
            reader.start();
            opened = true;
            return connection;
        } catch (IOException e) {
            if (e instanceof ClosedByInterruptException || Thread.interrupted()) {
                Thread.interrupted(); // the exception says it instead
                throw new InterruptedException("interrupted while connecting to " + address);
            }
            throw new SourceException(reason(e, host, address, timeoutMillis));
        } finally {
            if (!opened) {
                closeQuietly(channel);
            }
        }
    }

    private static String reason(IOException e, String host, String address, int timeoutMillis) {
        if (e instanceof UnknownHostException) return "unknown host " + host;
        if (e instanceof SocketTimeoutException) return address + " did not answer within " + timeoutMillis + " ms";
        if (e instanceof ConnectException) return "connection refused by " + address + " (nothing listens there?)";
        if (e instanceof NoRouteToHostException) return "no route to " + address;
        if (e instanceof SSLException) return "TLS with " + address + " failed: " + describe(e);
        return "connection to " + address + " failed: " + describe(e);
    }

    /** An exception in words, also when it carries no message. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            if (text.length() > 0) text.append(": ");
            text.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        }
        return text.toString();
    }

    private void handshake(URI uri, String host, int port, boolean secure) throws IOException, SourceException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        boolean defaultPort = port == (secure ? 443 : 80);
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        String request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();

        String head = readHead();
        if (head == null) {
            throw new SourceException(address + " closed the connection without answering the WebSocket handshake");
        }
        String[] lines = head.split("\r\n");
        String status = lines[0];
        if (!status.matches("HTTP/1\\.[01] \\d{3}.*")) {
            throw new SourceException(address + " answered something that is not HTTP: " + excerpt(head));
        }
        if (!status.substring(9).startsWith("101")) {
            String body = readSome(contentLength(lines));
            throw new SourceException(address + " refused the WebSocket handshake: " + status
                    + (body.isBlank() ? "" : " (" + excerpt(body) + ")"));
        }
        String expected = accept(key);
        if (!"websocket".equalsIgnoreCase(header(lines, "Upgrade")) || !expected.equals(header(lines, "Sec-WebSocket-Accept"))) {
            throw new SourceException(address + " answered " + status + " but not as a WebSocket server (Upgrade: "
                    + header(lines, "Upgrade") + ", Sec-WebSocket-Accept: " + header(lines, "Sec-WebSocket-Accept")
                    + ", expected " + expected + ")");
        }
    }

    /** The status line and headers up to the empty line; null when the server sent nothing. */
    private String readHead() throws IOException, SourceException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) return null;
                throw new SourceException(address + " closed the connection in the middle of its answer: "
                        + excerpt(head.toString(StandardCharsets.ISO_8859_1)));
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : b == '\r' ? 1 : 0;
            if (head.size() > MAX_HEAD_BYTES) {
                throw new SourceException(address + " answered with a head over " + MAX_HEAD_BYTES + " bytes: "
                        + excerpt(head.toString(StandardCharsets.ISO_8859_1)));
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }

    /** At most what an excerpt needs of a refusal's body: its length if given, else until the server closes or pauses. */
    private String readSome(int length) {
        byte[] body = new byte[length >= 0 ? Math.min(length, 4 * EXCERPT_CHARS) : 4 * EXCERPT_CHARS];
        int got = 0;
        try {
            socket.setSoTimeout(1_000);
            for (int n; got < body.length && (n = in.read(body, got, body.length - got)) > 0; ) {
                got += n;
            }
        } catch (IOException e) {
            // what came is enough: the answer was a refusal
        }
        return new String(body, 0, got, StandardCharsets.UTF_8);
    }

    private static int contentLength(String[] lines) {
        String value = header(lines, "Content-Length");
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Text as one short line: controls and runs of white space become one space. */
    static String excerpt(String text) {
        String line = text.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        return line.length() <= EXCERPT_CHARS ? line : line.substring(0, EXCERPT_CHARS) + "...";
    }

    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-1", e);
        }
    }

    private void readMessages(Listener listener) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageType = -1;
        try {
            while (true) {
                int first = readByte();
                int second = readByte();
                boolean fin = (first & 0x80) != 0;
                int opcode = first & 0x0F;
                long length = second & 0x7F;
                if (length == 126) {
                    length = (readByte() << 8) | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) length = (length << 8) | readByte();
                }
                byte[] mask = null;
                if ((second & 0x80) != 0) {
                    mask = new byte[] {(byte) readByte(), (byte) readByte(), (byte) readByte(), (byte) readByte()};
                }
                if (length < 0 || length + message.size() > MAX_MESSAGE_BYTES) {
                    fail(listener, "the remote sent a message over " + MAX_MESSAGE_BYTES + " bytes");
                    return;
                }
                byte[] payload = in.readNBytes((int) length);
                if (payload.length < length) throw new EOFException();
                if (mask != null) {
                    for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
                }
                switch (opcode) {
                    case 0x0, 0x1, 0x2 -> {
                        if (opcode != 0) {
                            messageType = opcode;
                            message.reset();
                        } else if (messageType < 0) {
                            fail(listener, "the remote sent a continuation frame outside a message");
                            return;
                        }
                        message.write(payload, 0, payload.length);
                        if (fin) {
                            byte[] whole = message.toByteArray();
                            message.reset();
                            if (closed) return;
                            if (messageType == 0x1) {
                                listener.onText(new String(whole, StandardCharsets.UTF_8));
                            } else {
                                listener.onBinary(whole);
                            }
                            messageType = -1;
                        }
                    }
                    case 0x8 -> {
                        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                        send(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                        closeQuietly(socket);
                        if (!closed) {
                            closed = true;
                            listener.onClose(code, reason);
                        }
                        return;
                    }
                    case 0x9 -> send(0xA, payload);
                    case 0xA -> {
                        // a pong: nothing asked for it
                    }
                    default -> {
                        fail(listener, "the remote sent a frame of unknown type " + opcode);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            fail(listener, e instanceof EOFException ? "the remote closed the connection without a close frame"
                    : "the connection failed (" + describe(e) + ")");
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException();
        return b;
    }

    private void fail(Listener listener, String reason) {
        if (!closed) {
            closed = true;
            closeQuietly(socket);
            listener.onError(reason);
        }
    }

    /** Sends a text message. */
    void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One masked frame, as a client must send. */
    private void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) frame.write((int) ((long) payload.length >>> shift));
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) frame.write(payload[i] ^ mask[i & 3]);
        synchronized (out) {
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Says goodbye with a close frame (1000) if it can and closes the socket; the listener hears nothing more. */
    @Override
    public void close() {
        if (closed) {
            closeQuietly(socket);
            return;
        }
        closed = true;
        try {
            send(0x8, new byte[] {0x03, (byte) 0xE8});
        } catch (IOException e) {
            // going anyway
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing left to do with it
        }
    }

    @Override
    public String toString() {
        return "WebSocket to " + address + (closed ? " (closed)" : "");
    }
}
