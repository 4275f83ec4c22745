package io.earshot.source.remote.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/** Our WebSocket client against a server written here on a plain socket, byte by byte. */
public class WebSocketConnectionTest {

    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();
    private final BlockingQueue<Object> events = new ArrayBlockingQueue<>(64);
    private final WebSocketConnection.Listener listener = new WebSocketConnection.Listener() {
        @Override public void onText(String text) { events.add("text " + text); }
        @Override public void onBinary(byte[] bytes) { events.add(bytes); }
        @Override public void onClose(int code, String reason) { events.add("close " + code + " " + reason); }
        @Override public void onError(String reason) { events.add("error " + reason); }
    };

    public WebSocketConnectionTest() throws IOException {
        server = new ServerSocket(0);
        server.setSoTimeout(10_000);
    }

    @After
    public void closeServer() throws IOException {
        for (Socket socket : accepted) socket.close();
        server.close();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + path);
    }

    private Socket accept() throws IOException {
        Socket socket = server.accept();
        socket.setSoTimeout(10_000);
        accepted.add(socket);
        return socket;
    }

    /** The request head as the client sent it, up to the empty line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("the client closed before the end of its request: " + head);
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith(name.toLowerCase() + ":")) return line.substring(name.length() + 1).trim();
        }
        return null;
    }

    private static void answer101(OutputStream out, String head) throws IOException {
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + WebSocketConnection.accept(header(head, "Sec-WebSocket-Key")) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** An unmasked server frame. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        }
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** A client frame: masked, as RFC 6455 requires; returns opcode and unmasked payload. */
    private static Object[] readClientFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        int second = data.readUnsignedByte();
        assertTrue("a client frame must be masked", (second & 0x80) != 0);
        int length = second & 0x7F;
        if (length == 126) length = data.readUnsignedShort();
        byte[] mask = new byte[4];
        data.readFully(mask);
        byte[] payload = new byte[length];
        data.readFully(payload);
        for (int i = 0; i < length; i++) payload[i] ^= mask[i & 3];
        return new Object[] {first & 0x0F, payload};
    }

    private Object event() throws InterruptedException {
        Object event = events.poll(10, TimeUnit.SECONDS);
        assertNotNull("nothing from the connection within 10 s", event);
        return event;
    }

    @Test
    public void theHandshakeIsAPlainOneAndMessagesPingsAndCloseWork() throws Exception {
        CompletableFuture<WebSocketConnection> client = CompletableFuture.supplyAsync(() -> {
            try {
                return WebSocketConnection.open(uri("/ws/audio?header=1&token=a%2Bb"), listener, 5_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Socket socket = accept();
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        assertEquals("GET /ws/audio?header=1&token=a%2Bb HTTP/1.1", lines[0]);
        assertEquals("127.0.0.1:" + server.getLocalPort(), header(head, "Host"));
        assertEquals("websocket", header(head, "Upgrade"));
        assertEquals("Upgrade", header(head, "Connection"));
        assertEquals("13", header(head, "Sec-WebSocket-Version"));
        assertEquals(16, java.util.Base64.getDecoder().decode(header(head, "Sec-WebSocket-Key")).length);
        assertEquals("exactly these headers: " + head, 6, lines.length);

        answer101(out, head);
        // the first message in the same write as the answer, as servers do
        out.write(frame(true, 0x1, "{\"rate\":48000}".getBytes(StandardCharsets.UTF_8)));
        out.write(frame(false, 0x2, new byte[] {1, 2, 3}));
        out.write(frame(true, 0x9, "are you there".getBytes(StandardCharsets.UTF_8))); // a ping between two fragments
        out.write(frame(true, 0x0, new byte[300]));
        out.flush();
        WebSocketConnection connection = client.get(10, TimeUnit.SECONDS);

        assertEquals("text {\"rate\":48000}", event());
        byte[] binary = (byte[]) event();
        assertEquals(303, binary.length);
        assertArrayEquals(new byte[] {1, 2, 3, 0}, java.util.Arrays.copyOf(binary, 4));
        Object[] pong = readClientFrame(in);
        assertEquals(0xA, pong[0]);
        assertEquals("are you there", new String((byte[]) pong[1], StandardCharsets.UTF_8));

        out.write(frame(true, 0x8, new byte[] {0x03, (byte) 0xE9, 'b', 'y', 'e'}));
        out.flush();
        assertEquals("close 1001 bye", event());
        Object[] echo = readClientFrame(in);
        assertEquals(0x8, echo[0]);
        assertEquals(-1, in.read()); // and the client closed the socket
        assertTrue(connection.isClosed());
    }

    @Test
    public void closingSendsACloseFrameAndEndsTheConnection() throws Exception {
        CompletableFuture<WebSocketConnection> client = CompletableFuture.supplyAsync(() -> {
            try {
                return WebSocketConnection.open(uri("/"), listener, 5_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Socket socket = accept();
        String head = readHead(socket.getInputStream());
        assertEquals("GET / HTTP/1.1", head.split("\r\n")[0]);
        answer101(socket.getOutputStream(), head);
        WebSocketConnection connection = client.get(10, TimeUnit.SECONDS);
        connection.close();
        Object[] close = readClientFrame(socket.getInputStream());
        assertEquals(0x8, close[0]);
        assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, (byte[]) close[1]);
        assertEquals(-1, socket.getInputStream().read());
        assertTrue("the listener hears nothing after close: " + events, events.isEmpty());
    }

    @Test
    public void aRefusedHandshakeIsReportedWithTheServersAnswer() throws Exception {
        String body = "Failed to open a WebSocket connection: unsupported request body.\n\n" + "x".repeat(5_000);
        CompletableFuture<String> error = refusal(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body));
        String message = error.get(10, TimeUnit.SECONDS);
        assertTrue(message, message.contains("refused the WebSocket handshake: HTTP/1.1 400 Bad Request (Failed to open a WebSocket"
                + " connection: unsupported request body. xxx"));
        assertTrue("a short excerpt, not the whole body: " + message.length(), message.length() < 400);
    }

    @Test
    public void aServerThatClosesWithoutAnAnswerOrAnswersNonsenseIsSaidSo() throws Exception {
        assertTrue(refusal("").get(10, TimeUnit.SECONDS).endsWith("closed the connection without answering the WebSocket handshake"));
        assertTrue(refusal("SSH-2.0-OpenSSH_9.2\r\n\r\n").get(10, TimeUnit.SECONDS)
                .endsWith("answered something that is not HTTP: SSH-2.0-OpenSSH_9.2"));
        String notWebSocket = refusal("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n").get(10, TimeUnit.SECONDS);
        assertTrue(notWebSocket, notWebSocket.contains("answered HTTP/1.1 101 Switching Protocols but not as a WebSocket server (Upgrade: h2c"));
    }

    /** Connects to a server that reads the request and answers {@code answer}; the client's error. */
    private CompletableFuture<String> refusal(String answer) throws Exception {
        CompletableFuture<String> error = CompletableFuture.supplyAsync(() -> {
            try {
                WebSocketConnection.open(uri("/"), listener, 5_000).close();
                return "connected";
            } catch (SourceException e) {
                return e.getMessage();
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        try (Socket socket = accept()) {
            readHead(socket.getInputStream());
            socket.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            error.get(10, TimeUnit.SECONDS);
        }
        return error;
    }

    @Test
    public void aRefusedPortAndAnUnknownHostAreSaidInWords() throws Exception {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0)) {
            closedPort = gone.getLocalPort();
        }
        try {
            WebSocketConnection.open(URI.create("ws://127.0.0.1:" + closedPort + "/"), listener, 5_000);
            fail("connected to a closed port");
        } catch (SourceException e) {
            assertEquals("connection refused by 127.0.0.1:" + closedPort + " (nothing listens there?)", e.getMessage());
        }
        try {
            WebSocketConnection.open(URI.create("ws://no-such-board.invalid:7321/"), listener, 5_000);
            fail("connected to a host that cannot exist");
        } catch (SourceException e) {
            assertEquals("unknown host no-such-board.invalid", e.getMessage());
        }
        assertEquals("IOException: ConnectException", WebSocketConnection.describe(new IOException(null, new java.net.ConnectException())));
    }

    @Test
    public void anInterruptedConnectLeavesNothingOpen() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread connecting = new Thread(() -> {
            try {
                WebSocketConnection.open(uri("/"), listener, 10_000);
                outcome.complete(null);
            } catch (Exception e) {
                outcome.complete(e);
            }
        });
        connecting.start();
        Socket socket = accept();
        readHead(socket.getInputStream()); // and never answered
        connecting.interrupt();
        Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(String.valueOf(thrown), thrown instanceof InterruptedException);
        assertEquals("the client closed its side", -1, socket.getInputStream().read());
    }

    /**
     * The source stops (deactivation) while its capture thread waits for the board's answer; the
     * board answers afterwards, and the connection it completes is closed at once.
     */
    @Test
    public void aConnectionCompletedAfterItsSourceStoppedIsClosed() throws Exception {
        RemoteSource source = new RemoteSource(config("ws://127.0.0.1:" + server.getLocalPort() + "/"));
        CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                source.open(StreamConfig.DEFAULT).close();
                return "opened";
            } catch (SourceException e) {
                return e.getMessage();
            }
        });
        Socket socket = accept();
        String head = readHead(socket.getInputStream());
        source.deactivate();
        assertFalse(outcome.isDone());
        answer101(socket.getOutputStream(), head);
        socket.getOutputStream().write(frame(true, 0x1, StreamConfig.DEFAULT.toJson().getBytes(StandardCharsets.UTF_8)));
        socket.getOutputStream().flush();
        assertEquals("remote ws://127.0.0.1:" + server.getLocalPort() + "/: cannot connect (the source was stopped while connecting)",
                outcome.get(10, TimeUnit.SECONDS));
        // closed: a close frame then the end, or a reset when the client closed with the board's frame unread
        try {
            assertEquals(0x8, readClientFrame(socket.getInputStream())[0]);
            assertEquals(-1, socket.getInputStream().read());
        } catch (java.net.SocketException reset) {
            assertEquals("Connection reset", reset.getMessage());
        }
    }

    static RemoteConfig config(String url) {
        return new RemoteConfig() {
            @Override public Class<? extends Annotation> annotationType() { return RemoteConfig.class; }
            @Override public String url() { return url; }
            @Override public String configUrl() { return ""; }
            @Override public String token() { return ""; }
            @Override public int queue() { return 32; }
        };
    }
}
