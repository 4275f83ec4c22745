package io.earshot.api;

import java.util.List;
import java.util.Optional;

/**
 * What a source can deliver. Configs are checked against this at every boundary, and the audio
 * WebSocket offers {@code rates} and {@code channels} to clients as easy-dsp's
 * {@code possible_rates} / {@code possible_channel}.
 *
 * @param rates          supported sample rates, ascending
 * @param channels       supported channel counts, ascending
 * @param minBufferFrames smallest buffer_frames accepted
 * @param maxBufferFrames largest buffer_frames accepted
 */
public record SourceCapabilities(List<Integer> rates, List<Integer> channels,
                                 int minBufferFrames, int maxBufferFrames) {

    public SourceCapabilities {
        rates = List.copyOf(rates);
        channels = List.copyOf(channels);
        if (rates.isEmpty() || channels.isEmpty()) {
            throw new IllegalArgumentException("a source must support at least one rate and one channel count");
        }
        if (minBufferFrames <= 0 || maxBufferFrames < minBufferFrames) {
            throw new IllegalArgumentException("bad buffer_frames range " + minBufferFrames + ".." + maxBufferFrames);
        }
    }

    /** Why this source cannot run {@code config}, in words for a person; empty when it can. */
    public Optional<String> problemWith(StreamConfig config) {
        if (!rates.contains(config.rate())) {
            return Optional.of("rate " + config.rate() + " is not supported; allowed: " + rates);
        }
        if (!channels.contains(config.channels())) {
            return Optional.of("channels " + config.channels() + " is not supported; allowed: " + describe(channels));
        }
        if (config.bufferFrames() < minBufferFrames || config.bufferFrames() > maxBufferFrames) {
            return Optional.of("buffer_frames " + config.bufferFrames() + " is out of range; allowed: "
                    + minBufferFrames + ".." + maxBufferFrames);
        }
        return Optional.empty();
    }

    /** The supported config nearest to {@code wanted}: used when a source cannot run the configured one. */
    public StreamConfig closest(StreamConfig wanted) {
        return new StreamConfig(nearest(rates, wanted.rate()), nearest(channels, wanted.channels()),
                Math.max(minBufferFrames, Math.min(maxBufferFrames, wanted.bufferFrames())), wanted.volume());
    }

    private static int nearest(List<Integer> values, int wanted) {
        int best = values.get(0);
        for (int v : values) {
            if (Math.abs((long) v - wanted) < Math.abs((long) best - wanted)) best = v;
        }
        return best;
    }

    /** "1..48" for a contiguous list, else the list itself. */
    private static String describe(List<Integer> values) {
        int first = values.get(0), last = values.get(values.size() - 1);
        return values.size() == last - first + 1 && values.size() > 2 ? first + ".." + last : values.toString();
    }
}
