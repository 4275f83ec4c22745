package io.earshot.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What one client saw. Written by the thread that delivers this client's frames (one at a time,
 * by demand), read by the main thread after {@link Window#freeze()}; the methods are synchronized
 * for visibility only (the lock is never contended while measuring). Recording a buffer
 * allocates nothing.
 */
public final class ClientStats {

    public static final int HEADER_BYTES = 24;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAGIC = 'E' | 'S' << 8 | '0' << 16 | '1' << 24;   // "ES01" read little-endian

    public final int id;
    public final boolean stalled;

    // the stream config this client was last told (text message); -1 until then
    int rate = -1;
    int channels = -1;
    int bufferFrames = -1;
    int configMessages;

    // the whole connection
    long messages;            // binary messages, any time
    long lastSequence = -1;   // of the last binary message with a valid header, any time
    long lastCapture = Long.MIN_VALUE;  // newest capture time received before the freeze
    long connectedNanos = -1;
    long firstMessageNanos = -1;

    // the measure window (by capture time)
    long received;            // distinct buffers: valid header, sequence above the last one
    long windowMessages;      // every binary message of the window, valid or not
    long bytes;
    long wrongSize;
    long badHeader;           // magic or header length wrong (size is still checked)
    long gaps;                // sequence numbers skipped between two received buffers
    long outOfOrder;          // sequence not above the previous one (repeat or reorder)
    long firstSequence = -1;
    long lastWindowSequence = -1;
    long negativeLatency;     // capture time after receive time: clocks disagree
    long configChangesInWindow;
    final Histogram interArrivalMicros = new Histogram();
    final Histogram latencyMicros = new Histogram();
    private long previousNanos = -1;
    boolean pastEnd;          // saw a buffer captured at or after the window's end

    // after the window: the stalled-client probe (reading again after the freeze)
    long messagesAtRelease = -1;
    long sequenceAtRelease = -1;
    long firstSequenceAfterRelease = -1;
    long messagesAfterRelease;
    long skippedAfterRelease; // sequence gaps in what it read after the release, until caught up
    boolean caughtUp;         // got a buffer captured less than 1 s before it arrived

    // how it ended
    String connectError;
    String error;
    int closeCode = -1;
    String closeReason;
    long closedNanos = -1;
    boolean closedByUs;

    public ClientStats(int id, boolean stalled) {
        this.id = id;
        this.stalled = stalled;
    }

    /** Expected size of a binary message under the last announced config, or -1 if none yet. */
    synchronized int expectedSize() {
        return bufferFrames < 0 || channels < 0 ? -1 : HEADER_BYTES + bufferFrames * channels * 2;
    }

    synchronized void config(int rate, int channels, int bufferFrames, Window window) {
        boolean changed = rate != this.rate || channels != this.channels || bufferFrames != this.bufferFrames;
        this.rate = rate;
        this.channels = channels;
        this.bufferFrames = bufferFrames;
        configMessages++;
        long now = window.nowWallNanos();
        if (changed && configMessages > 1 && now >= window.start() && now < window.end() && !window.frozen())
            configChangesInWindow++;
    }

    /**
     * One complete binary message.
     *
     * @param size       message bytes (header included)
     * @param headerOk   magic "ES01" and header length 24
     * @param sequence   header sequence number (meaningless unless headerOk)
     * @param capture    header capture wall-clock nanoseconds (meaningless unless headerOk)
     * @param recvNanos  System.nanoTime() when the last byte arrived
     * @param recvWall   the same instant in wall-clock nanoseconds
     */
    synchronized void binary(int size, boolean headerOk, long sequence, long capture,
                             long recvNanos, long recvWall, Window window) {
        if (messages++ == 0) firstMessageNanos = recvNanos;
        if (window.frozen()) {
            if (messagesAtRelease >= 0) {
                messagesAfterRelease++;
                if (headerOk && !caughtUp) {
                    long previous = firstSequenceAfterRelease < 0 ? sequenceAtRelease : lastSequence;
                    if (firstSequenceAfterRelease < 0) firstSequenceAfterRelease = sequence;
                    if (previous >= 0 && sequence > previous + 1) skippedAfterRelease += sequence - previous - 1;
                    if (recvWall - capture < 1_000_000_000L) caughtUp = true;
                }
            }
            if (headerOk) lastSequence = sequence;
            return;
        }
        if (headerOk) {
            lastSequence = sequence;
            if (capture > lastCapture) lastCapture = capture;
        }
        long t = headerOk ? capture : recvWall;
        if (t >= window.end()) {
            pastEnd = true;
            previousNanos = -1;
            return;
        }
        if (t < window.start()) {
            previousNanos = -1;
            return;
        }
        windowMessages++;
        bytes += size;
        int expected = HEADER_BYTES + bufferFrames * channels * 2;
        if (bufferFrames < 0 || size != expected) wrongSize++;
        if (headerOk) {
            if (firstSequence < 0) {
                firstSequence = sequence;
                lastWindowSequence = sequence;
                received++;
            } else if (sequence > lastWindowSequence) {
                gaps += sequence - lastWindowSequence - 1;
                lastWindowSequence = sequence;
                received++;
            } else {
                outOfOrder++;
            }
            long latency = recvWall - capture;
            if (latency < 0) negativeLatency++;
            latencyMicros.record(latency / 1000);
        } else {
            badHeader++;
        }
        if (previousNanos >= 0) interArrivalMicros.record((recvNanos - previousNanos) / 1000);
        previousNanos = recvNanos;
    }

    /**
     * A complete binary message as a client read it, whichever client: takes the receive time now,
     * checks and decodes the header out of the message's first bytes, and records it with
     * {@link #binary}. Allocates nothing.
     *
     * @param size       message bytes
     * @param head       the message's first bytes
     * @param headLength how many of them there are (fewer than 24 only if the message is that short)
     */
    void binaryMessage(long size, byte[] head, int headLength, Window window) {
        long recvNanos = System.nanoTime();
        long recvWall = window.wallNanos(recvNanos);
        boolean ok = headLength >= HEADER_BYTES
                && (int) INT_LE.get(head, 0) == MAGIC
                && (int) INT_LE.get(head, 4) == HEADER_BYTES;
        long sequence = ok ? (long) LONG_LE.get(head, 8) : -1;
        long capture = ok ? (long) LONG_LE.get(head, 16) : 0;
        binary((int) Math.min(Integer.MAX_VALUE, size), ok, sequence, capture, recvNanos, recvWall, window);
    }

    /** A complete text message: if it announces rate, channels and buffer_frames, the new config. */
    void textMessage(byte[] text, int length, Window window) {
        String s = new String(text, 0, length, StandardCharsets.UTF_8);
        int frames = Json.intField(s, "buffer_frames");
        int rate = Json.intField(s, "rate");
        int channels = Json.intField(s, "channels");
        if (frames > 0 && rate > 0 && channels > 0) config(rate, channels, frames, window);
    }

    synchronized void opened(long nanos) { connectedNanos = nanos; }

    synchronized void release() {
        messagesAtRelease = messages;
        sequenceAtRelease = lastSequence;
    }

    synchronized void connectFailed(Throwable t) { connectError = describe(t); }

    synchronized void error(Throwable t) {
        if (error == null) error = describe(t);
    }

    synchronized void closed(int code, String reason, long nanos) {
        if (closedNanos < 0) {
            closeCode = code;
            closeReason = reason;
            closedNanos = nanos;
        }
    }

    synchronized void closingByUs() { closedByUs = true; }

    synchronized boolean isClosed() { return closedNanos >= 0 || connectError != null; }

    synchronized boolean isPastEnd() { return pastEnd; }

    synchronized boolean isCaughtUp() { return caughtUp; }

    synchronized long messages() { return messages; }

    synchronized long firstMessageNanos() { return firstMessageNanos; }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String s = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (root != t) s += " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        return s;
    }
}
