package io.earshot.api;

import java.time.Duration;
import java.util.List;

/**
 * The four numbers that describe a stream, as easy-dsp named them: sample rate in samples per
 * second, channel count, frames per published buffer, and capture volume in percent.
 * <p>
 * The constructor only enforces what holds for every source (positive sizes, volume 0..100);
 * what a particular source supports is checked by {@link SourceCapabilities#problemWith}.
 */
public record StreamConfig(int rate, int channels, int bufferFrames, int volume) {

    /** easy-dsp's defaults: 48 kHz, 6 channels (the CompactSix board), 4096 frames, volume 80. */
    public static final StreamConfig DEFAULT = new StreamConfig(48000, 6, 4096, 80);

    /** The easy-dsp names of the four values, as used in JSON and in commands. */
    public static final List<String> KEYS = List.of("rate", "channels", "buffer_frames", "volume");

    public StreamConfig {
        if (rate <= 0) throw new IllegalArgumentException("rate must be positive, got " + rate);
        if (channels <= 0) throw new IllegalArgumentException("channels must be positive, got " + channels);
        if (bufferFrames <= 0) throw new IllegalArgumentException("buffer_frames must be positive, got " + bufferFrames);
        if (volume < 0 || volume > 100) throw new IllegalArgumentException("volume must be 0..100, got " + volume);
    }

    public StreamConfig withRate(int newRate) { return new StreamConfig(newRate, channels, bufferFrames, volume); }

    public StreamConfig withChannels(int newChannels) { return new StreamConfig(rate, newChannels, bufferFrames, volume); }

    public StreamConfig withBufferFrames(int frames) { return new StreamConfig(rate, channels, frames, volume); }

    public StreamConfig withVolume(int newVolume) { return new StreamConfig(rate, channels, bufferFrames, newVolume); }

    /**
     * This config with the value named {@code key} (one of {@link #KEYS}) replaced.
     *
     * @throws IllegalArgumentException for an unknown key or a value no stream can have
     */
    public StreamConfig with(String key, int value) {
        return switch (key) {
            case "rate" -> withRate(value);
            case "channels" -> withChannels(value);
            case "buffer_frames" -> withBufferFrames(value);
            case "volume" -> withVolume(value);
            default -> throw new IllegalArgumentException("unknown key '" + key + "'; allowed: " + String.join(", ", KEYS));
        };
    }

    /** Samples in one buffer: frames times channels. */
    public int samplesPerBuffer() { return bufferFrames * channels; }

    /** Bytes of one buffer on the easy-dsp wire (signed 16-bit samples). */
    public int bytesPerBuffer() { return samplesPerBuffer() * 2; }

    /** Time covered by one buffer. */
    public Duration period() { return Duration.ofNanos(periodNanos()); }

    public long periodNanos() { return bufferFrames * 1_000_000_000L / rate; }

    /** The easy-dsp JSON text of this config, as the audio WebSocket announces it. */
    public String toJson() {
        return "{\"buffer_frames\":" + bufferFrames + ",\"rate\":" + rate
                + ",\"channels\":" + channels + ",\"volume\":" + volume + "}";
    }
}
