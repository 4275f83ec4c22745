package io.earshot.devices.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AudioBuffer;
import io.earshot.api.results.HandlerDataListener;
import io.earshot.api.status.HandlerInfo;

/**
 * The audio plugins send to dashboard handlers (the beamformer's output), for devices that asked
 * for a handler's audio. The plugin's thread only copies a buffer some device listens to into a
 * bounded queue; a thread of its own encodes. A full queue drops the buffer, counted.
 */
@Component(service = HandlerDataListener.class)
public final class HandlerAudioFeed implements HandlerDataListener {

    /** Buffers waiting to be encoded: a few seconds of a beamformer's output at 4096 frames. */
    static final int MAX_QUEUED = 64;
    private static final Logger LOG = LoggerFactory.getLogger(HandlerAudioFeed.class);

    private record Item(String handler, AudioBuffer audio) {
    }

    private final DevicesServer server;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread = new Thread(this::encode, "earshot-devices-handler-audio");

    @Activate
    public HandlerAudioFeed(@Reference DevicesServer server) {
        this.server = server;
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() {
        thread.interrupt();
    }

    @Override
    public void data(HandlerInfo handler, String json) {
    }

    @Override
    public void removed(HandlerInfo handler) {
    }

    @Override
    public void audio(HandlerInfo handler, AudioBuffer audio) {
        LiveEncoders live = server.live();
        if (live == null || !live.listensTo(handler.name())) {
            return;
        }
        short[] copy = new short[audio.samples().remaining()];
        audio.samples().duplicate().get(copy);
        if (!queue.offer(new Item(handler.name(), new AudioBuffer(audio.config(), audio.sequence(), audio.captureNanos(), copy)))) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 100 == 0) LOG.warn("Handler audio for devices: {} buffers dropped so far (the encoder fell behind)", n);
        }
    }

    private void encode() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Item item = queue.take();
                LiveEncoders live = server.live();
                if (live != null) live.onHandlerAudio(item.handler(), item.audio());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Handler audio for devices: a buffer could not be encoded", e); // the feed goes on
            }
        }
    }
}
