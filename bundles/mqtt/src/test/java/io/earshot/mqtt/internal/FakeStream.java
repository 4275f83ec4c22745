package io.earshot.mqtt.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.earshot.api.ConfigChange;
import io.earshot.api.SourceCapabilities;
import io.earshot.api.StreamConfig;
import io.earshot.api.StreamControl;

/** A stream for the tests: its id and config, changed at once. */
final class FakeStream implements StreamControl {

    final String id;
    volatile StreamConfig config;

    FakeStream(String id, StreamConfig config) {
        this.id = id;
        this.config = config;
    }

    @Override public String stream() { return id; }

    @Override public StreamConfig current() { return config; }

    @Override
    public SourceCapabilities capabilities() {
        return new SourceCapabilities(List.of(16000, 48000), List.of(4, 6), 256, 8192);
    }

    @Override public String sourceId() { return "synthetic"; }

    @Override
    public ConfigChange change(StreamConfig wanted) {
        config = wanted;
        return ConfigChange.applied(wanted);
    }

    @Override
    public CompletionStage<ConfigChange> requestChange(Map<String, Integer> values) {
        StreamConfig c = config;
        return CompletableFuture.completedFuture(change(new StreamConfig(values.getOrDefault("rate", c.rate()),
                values.getOrDefault("channels", c.channels()), values.getOrDefault("buffer_frames", c.bufferFrames()),
                values.getOrDefault("volume", c.volume()))));
    }
}
