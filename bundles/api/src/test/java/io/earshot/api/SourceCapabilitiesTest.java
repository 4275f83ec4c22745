package io.earshot.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.Test;

public class SourceCapabilitiesTest {

    private final SourceCapabilities caps = new SourceCapabilities(List.of(16000, 48000),
            IntStream.rangeClosed(1, 48).boxed().toList(), 64, 65536);

    @Test
    public void acceptsWhatTheSourceCanDo() {
        assertTrue(caps.problemWith(new StreamConfig(48000, 6, 4096, 80)).isEmpty());
        assertTrue(caps.problemWith(new StreamConfig(16000, 48, 64, 0)).isEmpty());
    }

    @Test
    public void explainsEachRefusal() {
        assertEquals("rate 44100 is not supported; allowed: [16000, 48000]",
                caps.problemWith(new StreamConfig(44100, 6, 4096, 80)).orElseThrow());
        assertEquals("channels 49 is not supported; allowed: 1..48",
                caps.problemWith(new StreamConfig(48000, 49, 4096, 80)).orElseThrow());
        assertEquals("buffer_frames 63 is out of range; allowed: 64..65536",
                caps.problemWith(new StreamConfig(48000, 6, 63, 80)).orElseThrow());
    }

    @Test
    public void closestConfigIsSupported() {
        StreamConfig closest = caps.closest(new StreamConfig(44100, 64, 10, 50));
        assertEquals(new StreamConfig(48000, 48, 64, 50), closest);
        assertFalse(caps.problemWith(closest).isPresent());
    }

    @Test(expected = IllegalArgumentException.class)
    public void volumeOutsidePercentIsNoConfig() {
        new StreamConfig(48000, 6, 4096, 101);
    }
}
