package io.earshot.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/** Sends one config change over the config WebSocket and waits for its reply. */
final class ConfigClient implements FrameHandler {

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile CoreSession session;
    private volatile String closed;

    /**
     * @return the server's reply ({@code {"ok":true,...}})
     * @throws IllegalStateException with a message for the user when refused, closed or silent
     */
    static String apply(WebSocketCoreClient client, URI configUrl, int rate, int channels, int bufferFrames,
                        double timeoutSeconds) throws Exception {
        ConfigClient handler = new ConfigClient();
        CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client, configUrl, handler);
        long timeoutMs = (long) (timeoutSeconds * 1000);
        request.timeout(timeoutMs, TimeUnit.MILLISECONDS);
        CoreSession session;
        try {
            session = client.connect(request).get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to " + redact(configUrl) + ": "
                    + ClientStats.describe(e.getCause() != null ? e.getCause() : e));
        }
        try {
            String json = "{\"rate\":" + rate + ",\"channels\":" + channels + ",\"buffer_frames\":" + bufferFrames + "}";
            session.sendFrame(new Frame(OpCode.TEXT, json), Callback.NOOP, false);
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (true) {
                long left = deadline - System.nanoTime();
                String reply = left > 0 ? handler.texts.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS) : null;
                if (reply != null) {
                    Boolean ok = Json.boolField(reply, "ok");
                    if (ok == null) continue;          // some other message (e.g. the current config)
                    if (!ok) {
                        String error = Json.stringField(reply, "error");
                        throw new IllegalStateException("config " + json + " refused: " + (error != null ? error : reply));
                    }
                    return reply;
                }
                if (handler.closed != null && handler.texts.isEmpty())
                    throw new IllegalStateException("config WebSocket closed without a reply: " + handler.closed);
                if (left <= 0)
                    throw new IllegalStateException("no reply to " + json + " within " + timeoutSeconds + " s");
            }
        } finally {
            session.close(CloseStatus.NORMAL, "done", Callback.NOOP);
        }
    }

    /** The URL without its token, for messages. */
    static String redact(URI u) {
        String s = u.toString();
        return s.replaceAll("token=[^&]*", "token=...");
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte op = frame.getOpCode();
        if (op == OpCode.TEXT || op == OpCode.CONTINUATION) {
            ByteBuffer p = frame.getPayload();
            if (p != null) {
                byte[] bytes = new byte[p.remaining()];
                p.get(p.position(), bytes);
                partial.write(bytes, 0, bytes.length);
            }
            if (frame.isFin()) {
                texts.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            }
        }
        callback.succeeded();
        if (op != OpCode.CLOSE) session.demand();
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        closed = ClientStats.describe(cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        if (closed == null) closed = "code " + closeStatus.getCode() + " '" + closeStatus.getReason() + "'";
        callback.succeeded();
    }
}
