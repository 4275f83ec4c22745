package io.earshot.devices.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;
import io.earshot.api.status.HandlerDirectory;
import io.earshot.api.status.HandlerInfo;
import io.earshot.http.json.Refusal;

/**
 * The live stream as Opus: one encoder per channel that some device listens to, however many
 * listen, each packet sent to all of them. Runs on the hub's listener thread for the devices
 * (its own thread and queue), never on the capture thread; sending only queues into gRPC.
 */
final class LiveEncoders {

    /** The handler type that plays audio (bundles/handler-audio). */
    static final String AUDIO_TYPE = "base:audio";

    private final DeviceRegistry registry;
    private final int bitrate;
    private final int complexity;
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    /** Handlers' audio listened to, by handler name: one encoder each, fed by {@link HandlerAudioFeed}. */
    private final Map<String, Channel> handlerChannels = new ConcurrentHashMap<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile StreamConfig config;
    private volatile long encodeNanos;
    private volatile long packets;

    LiveEncoders(DeviceRegistry registry, int bitrate, int complexity) {
        this.registry = registry;
        this.bitrate = bitrate;
        this.complexity = complexity;
    }

    /** One channel's encoder, its 48 kHz resampler and its listeners. */
    private final class Channel {
        final int index;
        final List<AudioCall> calls = new CopyOnWriteArrayList<>();
        Opus opus;
        final short[] frame = new short[Opus.FRAME];
        int filled;
        long frameStartNanos;
        float prev;
        double pos;
        long sent;

        Channel(int index) {
            this.index = index;
        }

        void reset() {
            opus = new Opus(1, bitrate, complexity);
            filled = 0;
            pos = 0;
            prev = 0;
        }

        void add(AudioBuffer buffer, int rate) {
            if (opus == null) reset();
            int frames = buffer.frames();
            int step = buffer.channels();
            double stepIn = rate / (double) Opus.RATE;
            long firstNanos = buffer.captureNanos() - (frames - 1) * 1_000_000_000L / rate;
            java.nio.ShortBuffer samples = buffer.samples();
            for (int f = 0, i = index; f < frames; f++, i += step) {
                float x = samples.get(i);
                // linear interpolation to 48 kHz: the output samples between the previous input and this one
                while (pos < 1) {
                    if (filled == 0) frameStartNanos = firstNanos + (long) ((f - 1 + pos) * 1_000_000_000L / rate);
                    frame[filled++] = (short) Math.round(prev + (x - prev) * pos);
                    if (filled == Opus.FRAME) emit();
                    pos += stepIn;
                }
                pos -= 1;
                prev = x;
            }
        }

        private void emit() {
            filled = 0;
            long start = threads.getCurrentThreadCpuTime();
            byte[] packet = opus.encode(frame);
            encodeNanos += threads.getCurrentThreadCpuTime() - start;
            packets++;
            long now = System.nanoTime();
            long media = frameStartNanos / 1000;
            for (AudioCall call : calls) {
                if (call.ended()) {
                    calls.remove(call);
                } else {
                    call.send(packet, 1, media, null, false, now);
                }
            }
            sent++;
        }
    }

    void onConfig(StreamConfig next) {
        config = next;
        for (Channel c : channels.values()) c.opus = null;
    }

    /** @throws Refusal when the stream has no such channel */
    void subscribe(int channel, AudioCall call) throws Refusal {
        StreamConfig current = config;
        if (current == null) throw new Refusal(503, "the live stream has not started yet; ask again in a moment");
        if (channel >= current.channels()) {
            throw new Refusal(400, "channel " + channel + " does not exist: the stream has " + current.channels() + " channels (0 to " + (current.channels() - 1) + ")");
        }
        channels.compute(channel, (k, c) -> {
            Channel listened = c == null ? new Channel(k) : c;
            listened.calls.add(call);
            return listened;
        });
    }

    /** Whether some device listens to the audio of the handler of that name. */
    boolean listensTo(String handler) {
        return handlerChannels.containsKey(handler);
    }

    /** @throws Refusal when no handler of that name plays audio */
    void subscribeHandler(String handler, int channel, AudioCall call, HandlerDirectory directory) throws Refusal {
        List<String> playing = directory == null ? List.of() : directory.handlers().stream()
                .filter(h -> h.type().equals(AUDIO_TYPE)).map(HandlerInfo::name).distinct().toList();
        if (!playing.contains(handler)) {
            throw new Refusal(404, "no handler named '" + handler + "' plays audio; those that do: " + playing
                    + " (the beamformer example's is \"Beamformer\")");
        }
        handlerChannels.compute(handler, (k, c) -> {
            Channel listened = c == null ? new Channel(channel) : c;
            listened.calls.add(call);
            return listened;
        });
    }

    /** A buffer a plugin sent to a handler; on the feed's thread, never the plugin's. */
    void onHandlerAudio(String handler, AudioBuffer buffer) {
        Channel c = handlerChannels.get(handler);
        if (c == null) return;
        if (c.index >= buffer.channels()) {
            for (AudioCall call : c.calls) {
                call.end(io.grpc.Status.FAILED_PRECONDITION.withDescription("handler '" + handler + "' sends "
                        + buffer.channels() + " channel(s); channel " + c.index + " does not exist"));
            }
            c.calls.clear();
        } else if (!c.calls.isEmpty()) {
            c.add(buffer, buffer.config().rate());
            c.calls.removeIf(AudioCall::ended);
        }
        handlerChannels.computeIfPresent(handler, (key, ch) -> ch.calls.isEmpty() ? null : ch);
    }

    void onBuffer(AudioBuffer buffer) {
        registry.level(levelDb(buffer));
        int rate = buffer.config().rate();
        for (Channel c : channels.values()) {
            if (c.index >= buffer.channels()) {
                // the stream was reconfigured with fewer channels: say so rather than send nothing
                for (AudioCall call : c.calls) {
                    call.end(io.grpc.Status.FAILED_PRECONDITION.withDescription("the stream has " + buffer.channels()
                            + " channels now; channel " + c.index + " is gone"));
                }
                c.calls.clear();
                continue;
            }
            if (c.calls.isEmpty()) continue;
            c.add(buffer, rate);
            c.calls.removeIf(AudioCall::ended);
        }
        // a channel nobody listens to stops costing anything (its encoder is dropped)
        for (Integer k : channels.keySet()) channels.computeIfPresent(k, (key, c) -> c.calls.isEmpty() ? null : c);
    }

    /** The loudest channel's RMS in dBFS. */
    static double levelDb(AudioBuffer buffer) {
        int channels = buffer.channels();
        double[] sums = new double[channels];
        java.nio.ShortBuffer s = buffer.samples();
        for (int i = 0, n = s.limit(); i < n; i++) {
            double v = s.get(i);
            sums[i % channels] += v * v;
        }
        double max = 0;
        for (double sum : sums) max = Math.max(max, sum);
        double rms = Math.sqrt(max / buffer.frames()) / AudioBuffer.FULL_SCALE;
        return rms <= 1e-6 ? -120 : 20 * Math.log10(rms);
    }

    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Channel c : channels.values()) {
            list.add(Map.of("channel", c.index, "listeners", c.calls.size(), "packets", c.sent));
        }
        d.put("channels", list);
        List<Map<String, Object>> handlerList = new ArrayList<>();
        handlerChannels.forEach((name, c) -> handlerList.add(Map.of("handler", name, "channel", c.index,
                "listeners", c.calls.size(), "packets", c.sent)));
        d.put("handlers", handlerList);
        d.put("packets_encoded", packets);
        d.put("encode_cpu_ms", encodeNanos / 1_000_000);
        d.put("encode_cpu_us_per_packet", packets == 0 ? 0 : encodeNanos / 1000 / packets);
        return d;
    }
}
