package io.earshot.devices.internal;

import io.earshot.devices.v1.ButtonResponse;
import io.earshot.devices.v1.DeviceMessage;
import io.earshot.devices.v1.LedFrame;
import io.earshot.devices.v1.ServerMessage;
import io.earshot.devices.v1.TransportState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One device's Status call. The device's next message is asked for only once the answers sent
 * so far have left (gRPC's inbound flow control), so a burst of button events waits in the
 * device and on the wire, never in the runtime, and each gets its answer in order. LED frames and
 * transport states that cannot leave yet replace the ones waiting (only the newest matters); a
 * device that reads nothing for the stall time is ended.
 */
final class StatusSession implements StreamObserver<DeviceMessage> {

    private final DeviceRegistry registry;
    private final ServerCallStreamObserver<ServerMessage> out;
    private final long stallNanos;
    private volatile Device device;
    private boolean wantsMore;
    private ServerMessage pendingLeds;
    private ServerMessage pendingTransport;
    private long stalledSince;
    private long ledSequence;
    private boolean ended;

    StatusSession(DeviceRegistry registry, ServerCallStreamObserver<ServerMessage> out, long stallNanos) {
        this.registry = registry;
        this.out = out;
        this.stallNanos = stallNanos;
        out.disableAutoRequest();
        out.setOnReadyThreshold(4096);
        out.setOnReadyHandler(this::drain);
        out.setOnCancelHandler(() -> gone("the device went away"));
        out.request(1);
    }

    Device device() {
        return device;
    }

    @Override
    public void onNext(DeviceMessage message) {
        Device d = device;
        try {
            if (d == null) {
                if (!message.hasHello()) {
                    throw Status.INVALID_ARGUMENT.withDescription("the first message must be a Hello (id, key, LEDs, buttons)").asRuntimeException();
                }
                device = registry.connect(message.getHello(), this);
            } else if (message.hasButton()) {
                ButtonResponse response = registry.button(d, message.getButton());
                send(ServerMessage.newBuilder().setButton(response).build());
            } else if (message.hasPlayback()) {
                d.playback(message.getPlayback());
            } else if (message.hasHello()) {
                throw Status.FAILED_PRECONDITION.withDescription("Hello comes once, first").asRuntimeException();
            }
        } catch (StatusRuntimeException refused) {
            end(refused.getStatus());
            return;
        }
        askForMore();
    }

    private synchronized void askForMore() {
        if (ended) return;
        if (out.isReady()) {
            out.request(1);
        } else {
            wantsMore = true;
        }
    }

    /** Answers, the hello reply: always sent (their number is bounded by the messages read). */
    synchronized void send(ServerMessage message) {
        if (ended) return;
        try {
            out.onNext(message);
        } catch (RuntimeException gone) {
            ended = true;
        }
    }

    synchronized void leds(int[] rgb, io.earshot.devices.v1.LedMode mode, boolean flash) {
        LedFrame.Builder frame = LedFrame.newBuilder().setMode(mode).setFlash(flash).setSequence(ledSequence++);
        for (int v : rgb) frame.addRgb(v);
        offer(ServerMessage.newBuilder().setLeds(frame).build(), true);
    }

    synchronized void transport(TransportState state) {
        offer(ServerMessage.newBuilder().setTransport(state).build(), false);
    }

    private void offer(ServerMessage message, boolean isLeds) {
        if (ended) return;
        if (out.isReady() && pendingLeds == null && pendingTransport == null) {
            send(message);
        } else if (isLeds) {
            pendingLeds = message;
        } else {
            pendingTransport = message;
        }
    }

    private synchronized void drain() {
        if (ended) return;
        if (pendingTransport != null && out.isReady()) {
            send(pendingTransport);
            pendingTransport = null;
        }
        if (pendingLeds != null && out.isReady()) {
            send(pendingLeds);
            pendingLeds = null;
        }
        if (wantsMore && out.isReady()) {
            wantsMore = false;
            out.request(1);
        }
    }

    /** The housekeeping's look: a device that has not read for the stall time is ended. */
    synchronized void checkStall(long now) {
        if (ended) return;
        boolean waiting = pendingLeds != null || pendingTransport != null || wantsMore;
        if (!waiting || out.isReady()) {
            stalledSince = 0;
            if (waiting) drain();
        } else if (stalledSince == 0) {
            stalledSince = now;
        } else if (now - stalledSince > stallNanos) {
            end(Status.RESOURCE_EXHAUSTED.withDescription("the device read nothing for " + stallNanos / 1_000_000_000L
                    + " s; the call is ended so it holds nothing in the runtime"));
        }
    }

    synchronized boolean ended() {
        return ended;
    }

    void end(Status status) {
        synchronized (this) {
            if (ended) return;
            ended = true;
            try {
                if (status.isOk()) out.onCompleted();
                else out.onError(status.asRuntimeException());
            } catch (RuntimeException alreadyGone) {
                // the device went first
            }
        }
        gone(status.isOk() ? "ended" : status.getCode() + ": " + status.getDescription());
    }

    private void gone(String why) {
        synchronized (this) {
            ended = true;
        }
        registry.disconnect(this, why);
    }

    @Override
    public void onError(Throwable t) {
        gone("the device's stream failed: " + Status.fromThrowable(t).getCode());
    }

    @Override
    public void onCompleted() {
        end(Status.OK);
    }
}
