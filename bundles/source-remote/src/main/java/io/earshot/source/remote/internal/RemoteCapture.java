package io.earshot.source.remote.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.api.Capture;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/**
 * One connection to a remote audio WebSocket: the network thread puts each complete binary
 * message into a bounded queue (the oldest is dropped and counted when the capture thread falls
 * behind); the capture thread takes them in {@link #read}. A change of the remote's config,
 * a closed socket or a silent one ends the capture with a reason, and the hub reconnects.
 */
final class RemoteCapture implements Capture, WebSocketConnection.Listener {

    static final long SILENCE_MILLIS = 5_000;
    private static final int HEADER_BYTES = 24;

    private final Remote source;
    private final StreamConfig config;
    private final boolean header;
    private final BlockingQueue<Object> messages;
    private final ObjectMapper json = new ObjectMapper();
    private final Object configLock = new Object();
    private volatile StreamConfig streaming;
    /** Guarded by this. */
    private WebSocketConnection connection;
    /** Guarded by this. */
    private boolean closed;
    private volatile long lost;
    private volatile long received;
    private long expectedSequence = -1;
    private boolean first = true;

    private record Failure(String reason) {
    }

    /** A binary message and when it arrived (epoch ns): the capture time of a stream without stamps. */
    private record Payload(byte[] bytes, long arrivedNanos) {
    }

    RemoteCapture(Remote source, StreamConfig config, int capacity, boolean header) {
        this.source = source;
        this.config = config;
        this.header = header;
        this.messages = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Connects; a capture closed meanwhile (its source stopped while this thread connected)
     * closes the connection as soon as it is made, so none outlives it.
     */
    void connect(URI uri, int timeoutMillis) throws SourceException, InterruptedException {
        WebSocketConnection made = WebSocketConnection.open(uri, this, timeoutMillis);
        synchronized (this) {
            if (!closed) {
                connection = made;
                return;
            }
        }
        made.close();
        throw new SourceException("the source was stopped while connecting");
    }

    @Override
    public void onText(String message) {
        configMessage(message);
    }

    private void configMessage(String message) {
        try {
            JsonNode node = json.readTree(message);
            if (node.has("possible_rates") && node.has("possible_channel")) {
                source.remoteCapabilities(ints(node.get("possible_rates")), ints(node.get("possible_channel")));
            } else if (node.has("rate") && node.has("channels") && node.has("buffer_frames")) {
                StreamConfig announced = new StreamConfig(node.get("rate").asInt(), node.get("channels").asInt(),
                        node.get("buffer_frames").asInt(), Math.max(0, Math.min(100, node.path("volume").asInt(config.volume()))));
                source.remoteConfig(announced);
                boolean wasStreaming = streaming != null && Remote.sameShape(streaming, config);
                synchronized (configLock) {
                    streaming = announced;
                    configLock.notifyAll();
                }
                if (wasStreaming && !Remote.sameShape(announced, config)) {
                    fail("the remote's config changed to " + Remote.describe(announced));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            fail("the remote sent a text message that is not a config: " + message.substring(0, Math.min(120, message.length())));
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        for (JsonNode v : array) if (v.canConvertToInt() && v.asInt() > 0) values.add(v.asInt());
        return values;
    }

    @Override
    public void onBinary(byte[] bytes) {
        Payload payload = new Payload(bytes, Capture.epochNanos(java.time.Instant.now()));
        while (!messages.offer(payload)) {
            if (messages.poll() instanceof Payload) lost++; // the capture thread is behind: the oldest goes
        }
    }

    @Override
    public void onClose(int code, String reason) {
        fail("the remote closed the stream (" + code + (reason == null || reason.isEmpty() ? "" : ": " + reason) + ")");
    }

    @Override
    public void onError(String reason) {
        fail(reason);
    }

    private void fail(String reason) {
        Failure failure = new Failure(reason);
        while (!messages.offer(failure)) messages.poll();
    }

    StreamConfig awaitConfig(long seconds) throws SourceException, InterruptedException {
        return awaitChange(null, seconds);
    }

    /** Waits for the remote to announce a config ({@code wanted}'s shape, when given). */
    StreamConfig awaitChange(StreamConfig wanted, long seconds) throws SourceException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (configLock) {
            while (streaming == null || wanted != null && !Remote.sameShape(streaming, wanted)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    if (streaming == null) {
                        throw new SourceException("remote: connected, but no config message within " + seconds + " s (is it an audio WebSocket?)");
                    }
                    return streaming;
                }
                configLock.wait(left);
            }
            return streaming;
        }
    }

    @Override
    public long read(short[] into) throws SourceException, InterruptedException {
        long silent = 0;
        while (true) {
            Object next = messages.poll(100, TimeUnit.MILLISECONDS);
            if (next == null) {
                silent += 100;
                if (silent >= SILENCE_MILLIS) {
                    throw new SourceException("remote: no audio for " + silent + " ms");
                }
                continue;
            }
            if (next instanceof Failure failure) {
                throw new SourceException("remote: " + failure.reason());
            }
            Payload payload = (Payload) next;
            int expected = config.bytesPerBuffer() + (header ? HEADER_BYTES : 0);
            if (payload.bytes().length != expected) {
                throw new SourceException("remote: a message of " + payload.bytes().length + " bytes, " + expected
                        + " expected for " + Remote.describe(config));
            }
            ByteBuffer bytes = ByteBuffer.wrap(payload.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            long captureNanos;
            if (header) {
                long sequence = bytes.getLong(8);
                captureNanos = bytes.getLong(16); // the remote's own stamp, so latency counts from its capture
                if (expectedSequence >= 0 && sequence > expectedSequence) {
                    lost += sequence - expectedSequence;
                } else if (first && source.lastSequence >= 0) {
                    lost += reconnectionGap(source.lastSequence, source.lastCaptureNanos, sequence, captureNanos, config.periodNanos());
                }
                expectedSequence = sequence + 1;
                source.lastSequence = sequence;
                source.lastCaptureNanos = captureNanos;
                bytes.position(HEADER_BYTES);
            } else {
                captureNanos = payload.arrivedNanos();
                if (first) lost += awayBuffers();
            }
            first = false;
            source.lastBufferNanos = System.nanoTime();
            bytes.asShortBuffer().get(into, 0, config.samplesPerBuffer());
            received++;
            return captureNanos;
        }
    }

    /**
     * Buffers missed between the previous connection's last buffer and this one's first, both
     * numbered and stamped by the remote. The numbers are exact while the remote kept running; a
     * remote that restarted numbers from 0 again and may by now be past the old number, so the
     * numbers count only when they agree with the remote's own capture stamps, else the stamps do.
     */
    static long reconnectionGap(long lastSequence, long lastCaptureNanos, long sequence, long captureNanos, long periodNanos) {
        long byTime = Math.max(0, Math.round((double) (captureNanos - lastCaptureNanos) / periodNanos) - 1);
        long bySequence = sequence - lastSequence - 1;
        boolean agree = bySequence >= 0 && Math.abs(bySequence - byTime) <= 2 + byTime / 10;
        return agree ? bySequence : byTime;
    }

    /** Buffers' worth of time since the previous connection's last buffer (none before the first). */
    private long awayBuffers() {
        if (source.lastBufferNanos == 0) return 0;
        long away = System.nanoTime() - source.lastBufferNanos;
        return Math.max(0, Math.round((double) away / config.periodNanos()) - 1);
    }

    @Override
    public long lostBuffers() {
        return lost;
    }

    /** The board this capture reads (its url, config, this capture), shown with the stream that reads it. */
    @Override
    public Map<String, Object> details() {
        return source.status();
    }

    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("received", received);
        status.put("lost", lost);
        status.put("queued", messages.size());
        return status;
    }

    @Override
    public void close() {
        WebSocketConnection open;
        synchronized (this) {
            closed = true;
            open = connection;
        }
        if (open != null) {
            open.close();
        }
        source.closed(this);
    }
}
