package io.earshot.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One audio WebSocket client on a plain non-blocking {@link SocketChannel} ({@code --client nio}):
 * it writes the HTTP/1.1 upgrade request itself, checks the 101 answer, then parses the server's
 * frames straight out of one reusable read buffer with a {@link FrameParser}: of each binary
 * message only the first 24 bytes are copied. Per ready key it reads until the socket is drained;
 * nothing is allocated per message. Pings are answered with pongs and the server's close with a
 * close; every frame it sends is masked. Everything but {@link #release()} and {@link #close}
 * (which post to it) runs on its selector's thread.
 * <p>
 * A <em>stalled</em> client takes the config text messages and its first binary message, then
 * stops reading: it drops its read interest, so the kernel buffers fill and the server's sends to
 * it stop completing, as with a client that hangs. {@link #release()} makes it read again.
 */
final class NioAudioClient implements AudioClients.Connection, FrameParser.Sink {

    private static final int CONNECTING = 0;   // TCP connect under way
    private static final int UPGRADING = 1;    // request written or being written, reading the response
    private static final int OPEN = 2;
    private static final int CLOSED = 3;

    final long deadline;                       // System.nanoTime() by which the upgrade must be done
    final long timeoutMs;
    private final NioAudioClients.Loop loop;
    private final URI uri;
    private final ClientStats stats;
    private final Window window;
    private final int inputBuffer;
    private final CompletableFuture<Void> upgrade = new CompletableFuture<>();
    private final FrameParser parser = new FrameParser(this);

    private volatile int state = CONNECTING;
    private volatile boolean upgraded;
    private volatile boolean released;

    // the loop thread's
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer in;          // write mode between reads: [0, position) not parsed yet
    private ByteBuffer out;         // write mode: [0, position) not sent yet
    private String expectedAccept;
    private boolean paused;         // stalled: not reading
    private boolean closeSent;
    private final byte[] closePayload = new byte[125];

    NioAudioClient(NioAudioClients.Loop loop, URI uri, ClientStats stats, Window window, int inputBuffer,
                   long deadline, long timeoutMs) {
        this.loop = loop;
        this.uri = uri;
        this.stats = stats;
        this.window = window;
        this.inputBuffer = inputBuffer;
        this.deadline = deadline;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public ClientStats stats() { return stats; }

    @Override
    public CompletableFuture<?> upgrade() { return upgrade; }

    @Override
    public boolean isOpen() { return upgraded; }

    boolean isConnecting() { return state < OPEN; }

    @Override
    public void release() {
        stats.release();
        released = true;
        loop.execute(this::resume);
    }

    @Override
    public void close(String reason) {
        loop.execute(() -> closeNow(reason));
    }

    // ------------------------------------------------------------ on the loop's thread

    /** Opens the socket and starts connecting. */
    void start() {
        if (upgrade.isDone()) return;           // abandoned before it started
        try {
            if (!"ws".equals(uri.getScheme())) throw new IllegalArgumentException("the nio client speaks ws:// only, not " + uri.getScheme());
            String host = uri.getHost();
            if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String wsKey = Base64.getEncoder().encodeToString(nonce);
            expectedAccept = FrameParser.acceptKey(wsKey);
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            byte[] request = ("GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + uri.getRawAuthority() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + wsKey + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII);
            out = ByteBuffer.allocate(Math.max(1024, request.length));
            out.put(request);
            in = ByteBuffer.allocateDirect(inputBuffer);
            loop.connecting(this);
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(new InetSocketAddress(host, port));
            key = channel.register(loop.selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
            if (connected) connected();
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
        }
    }

    /** The selector says the socket is ready. */
    void ready(SelectionKey k) {
        if (state == CLOSED) return;
        try {
            int ops = k.readyOps();
            if ((ops & SelectionKey.OP_CONNECT) != 0) {
                if (!channel.finishConnect()) return;
                connected();
                return;
            }
            if ((ops & SelectionKey.OP_WRITE) != 0) flush();
            if ((ops & SelectionKey.OP_READ) != 0 && state != CLOSED && !paused) read();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void connected() throws IOException {
        state = UPGRADING;
        flush();
    }

    /**
     * Reads until the socket has nothing more (a read that does not fill the buffer drained it: the
     * selector reports the socket again when more comes), the stream ended, or the client stalls.
     */
    private void read() throws IOException {
        while (true) {
            int space = in.remaining();
            if (space == 0) {
                if (state == UPGRADING) {
                    connectFailed(new ProtocolException("upgrade response headers over " + in.capacity() + " bytes"));
                }
                return;
            }
            int n = channel.read(in);
            if (n < 0) {
                eof();
                return;
            }
            if (n == 0) return;
            if (state == UPGRADING) handshake();
            else process();
            if (state == CLOSED || paused || n < space) return;
        }
    }

    /** Parses what the read buffer holds. */
    private void process() throws IOException {
        in.flip();
        parser.parse(in);
        in.compact();
        if (state != CLOSED) interest();
    }

    /** The upgrade response, once it is all in: status 101 and the accept key. */
    private void handshake() throws IOException {
        int end = -1;
        for (int i = 3, n = in.position(); i < n; i++) {
            if (in.get(i) == '\n' && in.get(i - 1) == '\r' && in.get(i - 2) == '\n' && in.get(i - 3) == '\r') {
                end = i + 1;
                break;
            }
        }
        if (end < 0) return;                    // not all in yet
        byte[] bytes = new byte[end];
        in.get(0, bytes);
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/") || !"101".equals(status[1])) {
            connectFailed(new ProtocolException("upgrade refused: " + lines[0]));
            return;
        }
        String upgradeHeader = null;
        String connection = null;
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgradeHeader = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                default -> { }
            }
        }
        if (upgradeHeader == null || !upgradeHeader.equalsIgnoreCase("websocket")) {
            connectFailed(new ProtocolException("101 without Upgrade: websocket (" + upgradeHeader + ")"));
            return;
        }
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            connectFailed(new ProtocolException("101 without Connection: Upgrade (" + connection + ")"));
            return;
        }
        if (!expectedAccept.equals(accept)) {
            connectFailed(new ProtocolException("wrong Sec-WebSocket-Accept " + accept + ", expected " + expectedAccept));
            return;
        }
        in.flip();
        in.position(end);
        in.compact();                           // frames that came with the response stay
        state = OPEN;
        upgraded = true;
        stats.opened(System.nanoTime());
        if (!upgrade.complete(null)) {          // given up on meanwhile
            closeChannel();
            return;
        }
        if (in.position() > 0) process();
        else interest();
    }

    /** Sends what is pending, and asks for write readiness if not all of it went. */
    private void flush() throws IOException {
        if (out.position() > 0) {
            out.flip();
            channel.write(out);
            out.compact();
        }
        interest();
    }

    private void interest() {
        if (state == CLOSED) return;
        int ops = (paused || state == CONNECTING ? 0 : SelectionKey.OP_READ) | (out.position() > 0 ? SelectionKey.OP_WRITE : 0);
        if (state == CONNECTING) ops = SelectionKey.OP_CONNECT;
        if (key.interestOps() != ops) key.interestOps(ops);
    }

    /** Queues one masked control frame and sends it; dropped if the output is that far behind. */
    private void send(int opcode, byte[] payload, int length) {
        if (state == CLOSED) return;
        if (!FrameParser.writeMasked(out, opcode, payload, 0, length, ThreadLocalRandom.current().nextInt())) return;
        try {
            flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** After the window: a stalled client reads again (what it holds first). */
    private void resume() {
        if (state != OPEN || !paused) return;
        paused = false;
        try {
            process();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void closeNow(String reason) {
        if (state != OPEN || closeSent) return;
        closeSent = true;
        send(FrameParser.CLOSE, closePayload, FrameParser.closePayload(1000, reason, closePayload));
        if (paused) resume();                   // read on, for the server's answer
    }

    /** The caller gave up waiting for the upgrade. */
    void abandon() {
        if (state < OPEN) closeChannel();
    }

    void connectFailed(Throwable t) {
        if (state == CLOSED) return;
        closeChannel();
        if (!upgrade.isCancelled()) stats.connectFailed(t);
        upgrade.completeExceptionally(t);
    }

    /** An I/O error. */
    void fail(Throwable t) {
        if (state == CLOSED) return;
        if (state < OPEN) {
            connectFailed(t);
            return;
        }
        stats.error(t);
        stats.closed(1006, t.getMessage(), System.nanoTime());
        closeChannel();
    }

    private void eof() {
        if (state < OPEN) {
            connectFailed(new EOFException("connection closed before the upgrade response was complete"));
            return;
        }
        // as Jetty reports it: an abnormal close (1006) with an error
        stats.error(new EOFException("connection closed without a close frame"));
        stats.closed(1006, "Session Closed", System.nanoTime());
        closeChannel();
    }

    private void closeChannel() {
        state = CLOSED;
        if (key != null) key.cancel();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }

    // ------------------------------------------------------------ FrameParser.Sink

    @Override
    public boolean binary(long size, byte[] head, int headLength) {
        stats.binaryMessage(size, head, headLength, window);
        if (stats.stalled && !released && !closeSent) {
            paused = true;
            return false;
        }
        return true;
    }

    @Override
    public void text(byte[] bytes, int length) {
        stats.textMessage(bytes, length, window);
    }

    @Override
    public void ping(byte[] payload, int length) {
        send(FrameParser.PONG, payload, length);
    }

    @Override
    public void pong() { }

    @Override
    public void close(int code, String reason) {
        if (!closeSent) {
            closeSent = true;
            send(FrameParser.CLOSE, closePayload, FrameParser.closePayload(code, null, closePayload));
        }
        stats.closed(code, reason, System.nanoTime());
        closeChannel();
    }

    @Override
    public void failed(int code, String message) {
        ProtocolException e = new ProtocolException(message);
        stats.error(e);
        if (!closeSent) {
            closeSent = true;
            send(FrameParser.CLOSE, closePayload, FrameParser.closePayload(code, message, closePayload));
        }
        stats.closed(code, message, System.nanoTime());
        closeChannel();
    }
}
