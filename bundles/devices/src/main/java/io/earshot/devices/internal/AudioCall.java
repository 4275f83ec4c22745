package io.earshot.devices.internal;

import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;

import io.earshot.devices.v1.AudioPacket;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * One device's Audio call. Packets are sent only while gRPC says the device reads
 * ({@code isReady}); one not ready is dropped and counted, so nothing piles up in the runtime,
 * and a call whose device has read nothing for {@code stallNanos} is ended.
 */
final class AudioCall {

    private final ServerCallStreamObserver<AudioPacket> out;
    private final String device;
    private final String source;
    private final long stallNanos;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long stalledSince;
    private volatile boolean ended;

    AudioCall(ServerCallStreamObserver<AudioPacket> out, String device, String source, long stallNanos) {
        this.out = out;
        this.device = device;
        this.source = source;
        this.stallNanos = stallNanos;
        // a few packets in gRPC's own buffer, not its default 32 KiB (seconds of Opus)
        out.setOnReadyThreshold(4096);
    }

    String source() {
        return source;
    }

    long sent() {
        return sequence.get();
    }

    long dropped() {
        return dropped.get();
    }

    boolean ended() {
        return ended || out.isCancelled();
    }

    /** Whether a packet would be sent now; notes the start of a stall, and ends the call once it lasts. */
    synchronized boolean ready(long now) {
        if (ended()) return false;
        if (out.isReady()) {
            stalledSince = 0;
            return true;
        }
        if (stalledSince == 0) {
            stalledSince = now;
        } else if (now - stalledSince > stallNanos) {
            end(Status.RESOURCE_EXHAUSTED.withDescription("device '" + device + "' read no audio for "
                    + stallNanos / 1_000_000_000L + " s; the call is ended so it holds nothing in the runtime"));
        }
        return false;
    }

    /** Sends one packet if the device reads, else drops it; false when it was not sent. */
    synchronized boolean send(byte[] opus, int channels, long mediaTimeMicros, String clip, boolean endOfClip, long now) {
        if (!ready(now)) {
            if (!ended()) dropped.incrementAndGet();
            return false;
        }
        AudioPacket.Builder packet = AudioPacket.newBuilder().setSequence(sequence.getAndIncrement())
                .setMediaTimeUs(mediaTimeMicros).setOpus(ByteString.copyFrom(opus)).setChannels(channels)
                .setEndOfClip(endOfClip).setSentTimeUs(nowMicros());
        if (clip != null) packet.setClip(clip);
        try {
            out.onNext(packet.build());
            return true;
        } catch (RuntimeException cancelled) {
            ended = true;
            return false;
        }
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** The last packet's sequence number (-1 before the first). */
    long lastSequence() {
        return sequence.get() - 1;
    }

    synchronized void end(Status status) {
        if (ended) return;
        ended = true;
        try {
            if (status.isOk()) out.onCompleted();
            else out.onError(status.asRuntimeException());
        } catch (RuntimeException alreadyGone) {
            // the device went first
        }
    }
}
