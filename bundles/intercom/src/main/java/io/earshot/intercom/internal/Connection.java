package io.earshot.intercom.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.earshot.intercom.wire.IntercomWire;

/**
 * One intercom client: its hello, then two threads of its own. The reader notes that the client
 * is alive (any line) and closes it when it falls silent or stops taking a clip; the writer sends
 * the clips of its bounded queue, and a keep-alive when there are none. Whoever delivers a clip
 * only offers it to the queue, so a client that stalls costs its own clips and no one's time.
 */
final class Connection {

    /** Clips waiting for a client beyond the one being written; more are dropped for it (counted). */
    static final int QUEUE_CLIPS = 4;
    /** Bytes waiting for a client; a clip that would pass it is dropped, unless the queue is empty. */
    static final long QUEUE_BYTES = 16L * 1024 * 1024;
    /** A clip being written that makes no progress for this long: the client stopped reading, and is closed. */
    static final int STALL_SECONDS = 20;
    /**
     * The kernel's send buffer for a client, fixed (Linux would grow it to 4 MB): what a client
     * that stops reading holds beyond its queue, and why "sent" is close to "received".
     */
    static final int SEND_BUFFER_BYTES = 256 * 1024;
    private static final int CHUNK_BYTES = 64 * 1024;
    /** What a refused client may still send before it is closed anyway. */
    private static final int DRAIN_BYTES = 64 * 1024;

    interface Owner {
        /** Why this hello may not go on (a refusal line without its end), or null. */
        String admit(IntercomWire.Hello hello, Socket socket);

        void opened(Connection connection);

        void closed(Connection connection, String why);
    }

    final long id;
    final String address;
    private final Socket socket;
    private final Owner owner;
    private final int helloTimeoutMillis;
    private final ArrayDeque<Clip> queue = new ArrayDeque<>();
    private long queuedBytes;
    private volatile Instant since;
    private volatile long sent;
    private volatile long sentBytes;
    private volatile long dropped;
    private volatile long keepAlives;
    private volatile long writingClip;
    /** A write is under way (a clip's or a keep-alive's): the stall watch applies. */
    private volatile boolean writing;
    private volatile long progressNanos;
    private volatile long heardNanos;
    private volatile String closedWhy;
    private volatile Thread writer;

    Connection(long id, Socket socket, Owner owner, int helloTimeoutMillis) {
        this.id = id;
        this.socket = socket;
        this.owner = owner;
        this.helloTimeoutMillis = helloTimeoutMillis;
        this.address = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    String name() {
        return "#" + id + " " + address;
    }

    /** The reader's thread: the hello, then listening until the connection ends. */
    void run() {
        try {
            socket.setSoTimeout(helloTimeoutMillis);
            socket.setTcpNoDelay(true);
            socket.setSendBufferSize(SEND_BUFFER_BYTES);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
            OutputStream out = socket.getOutputStream();
            if (!handshake(in, out)) {
                return;
            }
            heardNanos = System.nanoTime();
            since = Instant.now();
            owner.opened(this);
            Thread thread = new Thread(() -> write(out), "earshot-intercom-" + id + "-write");
            thread.setDaemon(true);
            writer = thread;
            thread.start();
            listen(in);
        } catch (IOException e) {
            close(closedWhy != null ? closedWhy : "connection lost: " + e.getMessage());
        }
    }

    private boolean handshake(InputStream in, OutputStream out) throws IOException {
        String refusal;
        try {
            IntercomWire.Hello hello = IntercomWire.parseHello(IntercomWire.readLine(in));
            refusal = owner.admit(hello, socket);
        } catch (SocketTimeoutException e) {
            refusal = IntercomWire.REFUSED_HELLO + ": no hello line within " + helloTimeoutMillis / 1000 + " s";
        } catch (java.net.ProtocolException e) {
            refusal = IntercomWire.REFUSED_HELLO + ": " + e.getMessage() + " instead of the hello";
        } catch (IllegalArgumentException e) {
            refusal = e.getMessage();
        }
        if (refusal != null) {
            int colon = refusal.indexOf(": ");
            out.write(IntercomWire.refused(refusal.substring(0, colon), refusal.substring(colon + 2)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            // the answer, then an orderly end: closing with input unread would reset the connection,
            // and the client could lose the answer
            socket.shutdownOutput();
            drain(in);
            close(refusal);
            return false;
        }
        out.write(IntercomWire.accepted().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return true;
    }

    /** Reads what the client still sends until it closes: at most 64 KiB, for at most about a second. */
    private void drain(InputStream in) {
        byte[] discard = new byte[IntercomWire.MAX_LINE_BYTES];
        try {
            socket.setSoTimeout(500);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            for (int total = 0; total < DRAIN_BYTES && System.nanoTime() < deadline; ) {
                int n = in.read(discard);
                if (n < 0) return;
                total += n;
            }
        } catch (IOException e) {
            // quiet or gone: either way it is closed next
        }
    }

    private void listen(InputStream in) throws IOException {
        socket.setSoTimeout(1000);
        byte[] discard = new byte[IntercomWire.MAX_LINE_BYTES];
        while (closedWhy == null) {
            try {
                if (in.read(discard) < 0) {
                    close("the client closed the connection");
                    return;
                }
                heardNanos = System.nanoTime(); // what a client says after its hello only tells it is alive
            } catch (SocketTimeoutException quiet) {
                // a second without a word: time to look
            }
            String why = trouble(System.nanoTime());
            if (why != null) {
                close(why);
                return;
            }
        }
    }

    /** Why the connection should end now, or null. */
    private String trouble(long now) {
        if (now - heardNanos > TimeUnit.SECONDS.toNanos(IntercomWire.SILENCE_LIMIT_SECONDS)) {
            return "nothing heard for " + IntercomWire.SILENCE_LIMIT_SECONDS + " s (a client sends a line every "
                    + IntercomWire.KEEPALIVE_SECONDS + " s)";
        }
        if (writing && now - progressNanos > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
            long clip = writingClip;
            return "stopped reading: " + (clip != 0 ? "clip " + clip : "a keep-alive") + " made no progress for " + STALL_SECONDS + " s";
        }
        return null;
    }

    /** Queues a clip without waiting; false when it is dropped for this client (full queue, or closed). */
    synchronized boolean offer(Clip clip) {
        if (closedWhy != null) {
            return false;
        }
        if (queue.size() >= QUEUE_CLIPS || (!queue.isEmpty() && queuedBytes + clip.bytes() > QUEUE_BYTES)) {
            dropped++;
            return false;
        }
        queue.add(clip);
        queuedBytes += clip.bytes();
        notifyAll();
        return true;
    }

    private synchronized Clip next() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(IntercomWire.KEEPALIVE_SECONDS);
        while (queue.isEmpty() && closedWhy == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Clip clip = queue.poll();
        if (clip != null) queuedBytes -= clip.bytes();
        return clip;
    }

    private void write(OutputStream out) {
        try {
            while (closedWhy == null) {
                Clip clip = next();
                if (closedWhy != null) return;
                progressNanos = System.nanoTime();
                writing = true;
                if (clip == null) {
                    out.write(IntercomWire.keepAliveHeader());
                    out.flush();
                    writing = false;
                    keepAlives++;
                    continue;
                }
                writingClip = clip.number();
                out.write(clip.header());
                for (int at = 0; at < clip.wav().length; at += CHUNK_BYTES) {
                    out.write(clip.wav(), at, Math.min(CHUNK_BYTES, clip.wav().length - at));
                    progressNanos = System.nanoTime();
                }
                out.flush();
                writing = false;
                writingClip = 0;
                sent++;
                sentBytes += clip.bytes();
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            close(closedWhy != null ? closedWhy : "connection lost: " + e.getMessage());
        }
    }

    /** Ends the connection once; the first reason stays. */
    void close(String why) {
        synchronized (this) {
            if (closedWhy != null) return;
            closedWhy = why;
            queue.clear();
            queuedBytes = 0;
            notifyAll();
        }
        try {
            socket.close(); // also ends a write blocked on a client that stopped reading
        } catch (IOException e) {
            // closed either way
        }
        Thread thread = writer;
        if (thread != null && thread != Thread.currentThread()) thread.interrupt();
        owner.closed(this, why);
    }

    synchronized Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", id);
        status.put("address", address);
        status.put("since", String.valueOf(since));
        status.put("sent", sent);
        status.put("sent_bytes", sentBytes);
        status.put("dropped", dropped);
        status.put("queued", queue.size());
        status.put("queued_bytes", queuedBytes);
        status.put("writing_clip", writingClip == 0 ? null : writingClip);
        status.put("keep_alives", keepAlives);
        status.put("heard_ms_ago", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heardNanos));
        if (closedWhy != null) status.put("closed", closedWhy);
        return status;
    }
}
