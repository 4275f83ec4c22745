package io.earshot.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One audio WebSocket client on Jetty's core API ({@code --client jetty}): it sees raw frames as
 * they are parsed out of the socket buffer (no message aggregation, no copy of the samples) and
 * asks for each next frame itself ({@link CoreSession#demand()}). Per frame it copies at most the
 * 24 header bytes into a preallocated array; per complete message it records into
 * {@link ClientStats}.
 * <p>
 * A <em>stalled</em> client takes the config text messages and its first binary message, then
 * stops demanding: Jetty stops reading its socket, so the kernel buffers fill and the server's
 * sends to it stop completing, as with a client that hangs. {@link #release()} (only after the
 * measure window) makes it read again, to see whether the server has closed it meanwhile.
 */
final class AudioClient implements FrameHandler, AudioClients.Connection {

    final ClientStats stats;
    private final Window window;
    private volatile CoreSession session;
    private volatile CompletableFuture<?> upgrade = new CompletableFuture<>();

    // frame assembly state, touched only by the delivering thread
    private boolean inBinary;
    private boolean inText;
    private long messageBytes;
    private final byte[] header = new byte[ClientStats.HEADER_BYTES];
    private int headerFill;
    private byte[] text = new byte[1024];
    private int textLength;

    private volatile boolean released;
    private final AtomicBoolean holding = new AtomicBoolean();

    AudioClient(ClientStats stats, Window window) {
        this.stats = stats;
        this.window = window;
    }

    CoreSession session() { return session; }

    void upgrade(CompletableFuture<?> f) { upgrade = f; }

    @Override
    public ClientStats stats() { return stats; }

    @Override
    public CompletableFuture<?> upgrade() { return upgrade; }

    @Override
    public boolean isOpen() { return session != null; }

    @Override
    public void close(String reason) {
        CoreSession s = session;
        if (s != null) s.close(CloseStatus.NORMAL, reason, Callback.NOOP);
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        stats.opened(System.nanoTime());
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte op = frame.getOpCode();
        boolean messageDone = false;
        switch (op) {
            case OpCode.BINARY -> {
                inBinary = true;
                inText = false;
                messageBytes = 0;
                headerFill = 0;
                binaryPart(frame.getPayload());
                messageDone = frame.isFin();
            }
            case OpCode.TEXT -> {
                inText = true;
                inBinary = false;
                textLength = 0;
                textPart(frame.getPayload());
                messageDone = frame.isFin();
            }
            case OpCode.CONTINUATION -> {
                if (inBinary) binaryPart(frame.getPayload());
                else if (inText) textPart(frame.getPayload());
                messageDone = frame.isFin();
            }
            case OpCode.CLOSE -> {
                // Jetty answers the close when the callback completes; no more demand needed
                callback.succeeded();
                return;
            }
            case OpCode.PING -> pong(frame.getPayload());   // Jetty's core session answers only closes
            default -> { } // PONG
        }
        boolean stallNow = false;
        if (messageDone) {
            if (inBinary) {
                stats.binaryMessage(messageBytes, header, headerFill, window);
                stallNow = stats.stalled && !released;
            } else if (inText) {
                stats.textMessage(text, textLength, window);
            }
            inBinary = false;
            inText = false;
        }
        callback.succeeded();
        if (stallNow) {
            holding.set(true);
            // release() may have run between the check above and here
            if (!released || !holding.compareAndSet(true, false)) return;
        }
        CoreSession s = session;
        if (s != null) s.demand();
    }

    private void pong(ByteBuffer ping) {
        CoreSession s = session;
        if (s == null) return;
        ByteBuffer copy = ByteBuffer.allocate(ping == null ? 0 : ping.remaining());
        if (ping != null) copy.put(ping.duplicate()).flip();
        s.sendFrame(new Frame(OpCode.PONG).setPayload(copy), Callback.NOOP, false);
    }

    private void binaryPart(ByteBuffer payload) {
        if (payload == null) return;
        int n = payload.remaining();
        if (headerFill < header.length && n > 0) {
            int take = Math.min(header.length - headerFill, n);
            int pos = payload.position();
            for (int i = 0; i < take; i++) header[headerFill + i] = payload.get(pos + i);
            headerFill += take;
        }
        messageBytes += n;
    }

    private void textPart(ByteBuffer payload) {
        if (payload == null) return;
        int n = payload.remaining();
        if (textLength + n > text.length) {
            if (textLength + n > (1 << 20)) return;   // not a message of this protocol; keep the start
            byte[] bigger = new byte[Math.max(text.length * 2, textLength + n)];
            System.arraycopy(text, 0, bigger, 0, textLength);
            text = bigger;
        }
        payload.get(payload.position(), text, textLength, n);
        textLength += n;
    }

    /** After the window: read again (a stalled client) to learn what the server did with it. */
    @Override
    public void release() {
        stats.release();
        released = true;
        if (holding.compareAndSet(true, false)) {
            CoreSession s = session;
            if (s != null) s.demand();
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        stats.error(cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        stats.closed(closeStatus.getCode(), closeStatus.getReason(), System.nanoTime());
        callback.succeeded();
    }
}
