package io.earshot.bridge.audio.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.earshot.api.AudioBuffer;

/**
 * One buffer's wire bytes, encoded once and shared read-only by every client's send. Direct
 * memory, because the JDK copies a heap buffer into a temporary direct one on every socket write,
 * that is once per client. Reference counted: it goes back to its pool when the last send is done.
 */
final class Payload {

    /** The header of the opt-in header mode: "ES01", header length, sequence, capture time; little-endian. */
    static final int HEADER_BYTES = 24;
    static final int MAGIC = 'E' | 'S' << 8 | '0' << 16 | '1' << 24;

    private final ByteBuffer bytes;
    private final Pool pool;
    private final AtomicInteger references = new AtomicInteger();

    private Payload(int capacity, Pool pool) {
        this.bytes = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        this.pool = pool;
    }

    /** A view for one send; the payload's own position never moves. */
    ByteBuffer view() {
        return bytes.asReadOnlyBuffer();
    }

    int size() {
        return bytes.limit();
    }

    void retain() {
        references.incrementAndGet();
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            pool.recycle(this);
        }
    }

    /**
     * Recycles payloads of one size. Bounded: past {@code max} free payloads, the rest are left
     * to the garbage collector, so a burst of stalled sends cannot pin memory for good.
     */
    static final class Pool {
        private final Queue<Payload> free = new ConcurrentLinkedQueue<>();
        private final AtomicInteger freeCount = new AtomicInteger();
        private final int max;
        private volatile int capacity;

        Pool(int max) {
            this.max = max;
        }

        /** Encodes {@code buffer}, with the header when asked; the caller holds the first reference. */
        Payload encode(AudioBuffer buffer, boolean header) {
            int size = buffer.config().bytesPerBuffer() + (header ? HEADER_BYTES : 0);
            Payload payload = take(size);
            ByteBuffer out = payload.bytes;
            out.clear();
            if (header) {
                out.putInt(MAGIC).putInt(HEADER_BYTES).putLong(buffer.sequence()).putLong(buffer.captureNanos());
            }
            buffer.writeLittleEndian(out);
            out.flip();
            payload.references.set(1);
            return payload;
        }

        private Payload take(int size) {
            if (size != capacity) {
                capacity = size; // a new config: the old payloads no longer fit
                free.clear();
                freeCount.set(0);
            }
            Payload payload = free.poll();
            if (payload == null) {
                return new Payload(size, this);
            }
            freeCount.decrementAndGet();
            return payload;
        }

        private void recycle(Payload payload) {
            if (payload.bytes.capacity() == capacity && freeCount.incrementAndGet() <= max) {
                free.offer(payload);
            } else if (payload.bytes.capacity() == capacity) {
                freeCount.decrementAndGet();
            }
        }

        int free() {
            return freeCount.get();
        }
    }
}
