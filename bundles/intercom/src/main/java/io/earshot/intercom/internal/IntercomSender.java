package io.earshot.intercom.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AudioClip;
import io.earshot.api.Recorder;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;
import io.earshot.http.json.Refusal;
import io.earshot.intercom.wire.IntercomWire;

/**
 * A send: that many seconds of the live stream from the recorder (its listener thread fills the
 * clip, never the capture thread), the channels asked for made a WAV, offered to every client.
 * The caller's thread (a request, the shell) waits for the clip; nothing else does.
 */
@Component(service = IntercomSender.class)
public final class IntercomSender {

    static final double MAX_SECONDS = 30;
    /** Sends recording at once; one more is refused until it is done (a clip may take a good part of the heap). */
    static final int MAX_SENDS = 1;
    /** How long past the clip's own length a send waits for the recorder. */
    static final int RECORDER_GRACE_SECONDS = 10;

    /** What was sent. */
    record Sent(long clip, int bytes, double seconds, int rate, int[] channels, long lostBuffers, List<String> to,
            List<String> dropped) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("ok", true);
            map.put("clip", clip);
            map.put("bytes", bytes);
            map.put("seconds", seconds);
            map.put("rate", rate);
            map.put("channels", Arrays.stream(channels).boxed().toList());
            map.put("lost_buffers", lostBuffers);
            map.put("clients", to);
            map.put("dropped", dropped);
            return map;
        }
    }

    private final Recorder recorder;
    private final StreamControl stream;
    private final IntercomServer server;
    private final Semaphore sends = new Semaphore(MAX_SENDS);

    @Activate
    public IntercomSender(@Reference Recorder recorder, @Reference StreamControl stream, @Reference IntercomServer server) {
        this.recorder = recorder;
        this.stream = stream;
        this.server = server;
    }

    /**
     * Records {@code seconds} of the stream and sends them.
     *
     * @param channels the stream's channels to send, in this order; null for all
     */
    Sent send(double seconds, int[] channels) throws Refusal {
        String off = server.notServing();
        if (off != null) throw new Refusal(409, off);
        if (!(seconds > 0) || seconds > MAX_SECONDS) {
            throw new Refusal(400, "seconds must be more than 0 and at most " + (int) MAX_SECONDS + ", got " + seconds);
        }
        StreamConfig config = stream.current();
        if (config == null) throw new Refusal(503, "no stream is running yet; try again when it is");
        int[] chosen = channels == null ? allChannels(config.channels()) : checked(channels, config.channels());
        long frames = (long) Math.ceil(seconds * config.rate());
        long bytes = 44 + frames * chosen.length * 2;
        if (bytes > IntercomWire.MAX_CLIP_BYTES) {
            double most = (IntercomWire.MAX_CLIP_BYTES - 44) / (2.0 * chosen.length * config.rate());
            throw new Refusal(413, String.format("%s s of %d channel(s) at %d Hz is %d bytes; a clip may be at most %d"
                    + " (%.1f s of %d channel(s); fewer channels allow longer clips)", seconds, chosen.length, config.rate(),
                    bytes, IntercomWire.MAX_CLIP_BYTES, Math.floor(most * 10) / 10, chosen.length));
        }
        if (!sends.tryAcquire()) throw new Refusal(503, "a send is recording already; try again when it is done");
        try {
            AudioClip clip = record(seconds);
            byte[] wav = wav(clip, chosen);
            IntercomServer.Delivery delivery = server.deliver(clip.config().rate(), chosen.length, wav);
            return new Sent(delivery.clip(), wav.length, clip.seconds(), clip.config().rate(), chosen, clip.lostBuffers(),
                    delivery.to(), delivery.dropped());
        } finally {
            sends.release();
        }
    }

    private AudioClip record(double seconds) throws Refusal {
        CompletableFuture<AudioClip> clip = new CompletableFuture<>();
        try {
            recorder.record(Duration.ofNanos((long) (seconds * 1e9)), clip::complete);
        } catch (IllegalArgumentException e) {
            throw new Refusal(413, e.getMessage());
        } catch (IllegalStateException e) {
            throw new Refusal(503, e.getMessage());
        }
        long wait = (long) Math.ceil(seconds) + RECORDER_GRACE_SECONDS;
        try {
            return clip.get(wait, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new Refusal(503, "the recorder handed over no clip within " + wait + " s; is the stream running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "interrupted while recording");
        } catch (ExecutionException e) {
            throw new Refusal(500, "recording failed: " + e.getCause());
        }
    }

    private static int[] allChannels(int count) {
        int[] all = new int[count];
        for (int c = 0; c < count; c++) all[c] = c;
        return all;
    }

    private static int[] checked(int[] channels, int streamChannels) throws Refusal {
        if (channels.length == 0) throw new Refusal(400, "name at least one channel (0.." + (streamChannels - 1) + "), or none for all");
        boolean[] seen = new boolean[streamChannels];
        for (int c : channels) {
            if (c < 0 || c >= streamChannels) {
                throw new Refusal(400, "channel " + c + " is not one of the stream's: 0.." + (streamChannels - 1));
            }
            if (seen[c]) throw new Refusal(400, "channel " + c + " is named twice");
            seen[c] = true;
        }
        return channels.clone();
    }

    /** The clip's channels named, in that order, as a 16-bit PCM WAV. */
    static byte[] wav(AudioClip clip, int[] channels) throws Refusal {
        int from = clip.config().channels();
        for (int c : channels) {
            if (c >= from) throw new Refusal(409, "the stream changed to " + from + " channels while recording; channel " + c + " is gone");
        }
        int frames = clip.frames();
        short[] source = clip.samples();
        short[] samples = source;
        if (!isAll(channels, from)) {
            samples = new short[frames * channels.length];
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < channels.length; i++) {
                    samples[f * channels.length + i] = source[f * from + channels[i]];
                }
            }
        }
        // written straight into one array of its final size: the heap is small, and a clip may be 16 MiB
        int channelsOut = channels.length;
        int rate = clip.config().rate();
        ByteBuffer wav = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put(ascii("RIFF")).putInt(36 + samples.length * 2).put(ascii("WAVE"))
                .put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) channelsOut).putInt(rate)
                .putInt(rate * channelsOut * 2).putShort((short) (channelsOut * 2)).putShort((short) 16)
                .put(ascii("data")).putInt(samples.length * 2);
        wav.asShortBuffer().put(samples);
        return wav.array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isAll(int[] channels, int count) {
        if (channels.length != count) return false;
        for (int c = 0; c < count; c++) if (channels[c] != c) return false;
        return true;
    }

    /** {@code 0,1,2}: channel numbers as a person types them. */
    static int[] parseChannels(String text) throws Refusal {
        String[] parts = text.split(",");
        int[] channels = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                channels[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new Refusal(400, "CHANNELS are channel numbers separated by commas (0,1), got '" + text + "'");
            }
        }
        return channels;
    }
}
