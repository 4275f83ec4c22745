package io.earshot.device.client;

import java.io.File;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.earshot.devices.v1.AudioPacket;
import io.earshot.devices.v1.AudioRequest;
import io.earshot.devices.v1.ButtonEvent;
import io.earshot.devices.v1.DeviceMessage;
import io.earshot.devices.v1.DevicesGrpc;
import io.earshot.devices.v1.Hello;
import io.earshot.devices.v1.LiveSource;
import io.earshot.devices.v1.QueueSource;
import io.earshot.devices.v1.ServerMessage;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;

/**
 * A device's side of devices.proto: the Status stream (hello, button events, what the server
 * sends) and Audio streams. What arrives waits in bounded queues for the caller to take.
 */
public final class DeviceClient implements AutoCloseable {

    /** Messages kept for the caller; a caller that takes none loses the newest beyond this. */
    public static final int MAX_WAITING = 100_000;
    /** The HTTP/2 window a device grants: small, as on a small device, so a stall shows soon. */
    static final int FLOW_WINDOW = 16 * 1024;

    private final ManagedChannel channel;
    private final String id;
    private final String key;
    private final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>(MAX_WAITING);
    private final StreamObserver<DeviceMessage> status;
    private volatile Status ended;

    /**
     * Connects and sends the hello.
     * @param trust a PEM certificate to trust for TLS, or null for plain text
     */
    public DeviceClient(String host, int port, String id, String key, int leds, int buttons, int maxChannels, File trust) throws Exception {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port).flowControlWindow(FLOW_WINDOW)
                .keepAliveTime(10, TimeUnit.SECONDS).keepAliveWithoutCalls(true);
        if (trust != null) builder.sslContext(GrpcSslContexts.forClient().trustManager(trust).build());
        else builder.usePlaintext();
        this.channel = builder.build();
        this.id = id;
        this.key = key;
        status = DevicesGrpc.newStub(channel).status(new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage message) {
                received.offer(message);
            }

            @Override
            public void onError(Throwable t) {
                ended = Status.fromThrowable(t);
            }

            @Override
            public void onCompleted() {
                ended = Status.OK;
            }
        });
        send(DeviceMessage.newBuilder().setHello(Hello.newBuilder().setId(id).setKey(key).setLedCount(leds)
                .setButtons(buttons).addCodecs("opus").setMaxChannels(maxChannels)).build());
    }

    private synchronized void send(DeviceMessage message) {
        status.onNext(message);
    }

    public void button(long sequence, int button, boolean pressed) {
        send(DeviceMessage.newBuilder().setButton(ButtonEvent.newBuilder().setSequence(sequence).setButton(button).setPressed(pressed)).build());
    }

    /** What the device's player has, for the runtime's status. */
    public void report(long lastSequence, int bufferedMs, long underruns) {
        send(DeviceMessage.newBuilder().setPlayback(io.earshot.devices.v1.PlaybackReport.newBuilder()
                .setLastSequence(lastSequence).setBufferedMs(bufferedMs).setUnderruns(underruns)).build());
    }

    /** The next message from the server, or null after the wait. */
    public ServerMessage next(long timeout, TimeUnit unit) throws InterruptedException {
        return received.poll(timeout, unit);
    }

    public BlockingQueue<ServerMessage> received() {
        return received;
    }

    /** How the Status stream ended, or null while it runs. */
    public Status ended() {
        return ended;
    }

    /** Ends the Status stream as a device going away politely does. */
    public synchronized void hangUp() {
        status.onCompleted();
    }

    /** The device's clip queue, as its transport plays it. */
    public Audio queue(Consumer<AudioPacket> packets) {
        return audio(AudioRequest.newBuilder().setId(id).setKey(key).setQueue(QueueSource.getDefaultInstance()).build(), packets);
    }

    /** A channel of the audio a plugin sends to the dashboard handler of that name (the beamformer's output). */
    public Audio handler(String handler, int channel, Consumer<AudioPacket> packets) {
        return audio(AudioRequest.newBuilder().setId(id).setKey(key)
                .setLive(LiveSource.newBuilder().setHandler(handler).setChannel(channel)).build(), packets);
    }

    /** A channel of the live stream. */
    public Audio live(int liveChannel, Consumer<AudioPacket> packets) {
        return audio(AudioRequest.newBuilder().setId(id).setKey(key).setLive(LiveSource.newBuilder().setChannel(liveChannel)).build(), packets);
    }

    private Audio audio(AudioRequest request, Consumer<AudioPacket> packets) {
        Audio audio = new Audio(packets);
        DevicesGrpc.newStub(channel).audio(request, audio);
        return audio;
    }

    /** One Audio call: packets handed to the consumer as they come, one asked for at a time. */
    public static final class Audio implements ClientResponseObserver<AudioRequest, AudioPacket> {
        private final Consumer<AudioPacket> packets;
        private volatile ClientCallStreamObserver<AudioRequest> call;
        private volatile boolean reading = true;
        private volatile Status ended;

        Audio(Consumer<AudioPacket> packets) {
            this.packets = packets;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<AudioRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(AudioPacket packet) {
            packets.accept(packet);
            if (reading) call.request(1);
        }

        /** Stops asking for packets: a device that stopped reading. */
        public void stopReading() {
            reading = false;
        }

        /** Reads again, everything waiting at once: a device that stopped learns then why it was cut off. */
        public void resumeReading() {
            reading = true;
            call.request(Integer.MAX_VALUE);
        }

        @Override
        public void onError(Throwable t) {
            ended = Status.fromThrowable(t);
        }

        @Override
        public void onCompleted() {
            ended = Status.OK;
        }

        public Status ended() {
            return ended;
        }

        public void cancel() {
            call.cancel("the device stopped listening", null);
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
