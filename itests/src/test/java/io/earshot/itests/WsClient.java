package io.earshot.itests;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client as a user would write one (the JDK's), recording what it receives. With
 * {@code stallAfter} it stops reading after that many messages, like a client that hangs.
 */
final class WsClient implements WebSocket.Listener {

    /** A received message: text, or binary with its arrival time. */
    record Message(String text, byte[] binary, long arrivalNanos) {
        boolean isText() {
            return text != null;
        }

        long sequence() {
            return ByteBuffer.wrap(binary).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
        }
    }

    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final int stallAfter;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private int received;
    WebSocket socket;

    private WsClient(int stallAfter) {
        this.stallAfter = stallAfter;
    }

    static WsClient connect(HttpClient http, URI uri) {
        return connect(http, uri, Integer.MAX_VALUE);
    }

    static WsClient connect(HttpClient http, URI uri, int stallAfter) {
        WsClient client = new WsClient(stallAfter);
        client.socket = http.newWebSocketBuilder().buildAsync(uri, client).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    Message next() throws InterruptedException {
        Message m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message within 10 s");
        return m;
    }

    String nextText() throws InterruptedException {
        Message m = next();
        if (!m.isText()) throw new AssertionError("expected a text message, got " + m.binary().length + " bytes");
        return m.text();
    }

    /** The next binary message; config texts on the way (a change just applied) are skipped. */
    Message nextBinary() throws InterruptedException {
        Message m;
        do {
            m = next();
        } while (m.isText());
        return m;
    }

    /** Sends a text message and returns the next text message received (the answer). */
    String ask(String message) throws InterruptedException {
        socket.sendText(message, true).join();
        return nextText();
    }

    void send(String message) {
        socket.sendText(message, true).join();
    }

    void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        socket.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(new Message(text.toString(), null, System.nanoTime()));
            text.setLength(0);
            delivered(webSocket);
        } else {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] part = new byte[data.remaining()];
        data.get(part);
        binary.writeBytes(part);
        if (last) {
            messages.add(new Message(null, binary.toByteArray(), System.nanoTime()));
            binary.reset();
            delivered(webSocket);
        } else {
            webSocket.request(1);
        }
        return null;
    }

    private void delivered(WebSocket webSocket) {
        if (++received < stallAfter) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }
}
