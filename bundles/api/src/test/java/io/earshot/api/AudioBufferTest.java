package io.earshot.api;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.Test;

public class AudioBufferTest {

    private final StreamConfig config = new StreamConfig(48000, 3, 2, 80);
    // frame 0: 1, 2, 3; frame 1: -4, 5, -32768
    private final AudioBuffer buffer = new AudioBuffer(config, 7, 99, new short[] {1, 2, 3, -4, 5, -32768});

    @Test
    public void viewsFollowTheInterleaving() {
        assertEquals(5, buffer.sample(1, 1));
        assertArrayEquals(new short[] {-4, 5, -32768}, buffer.frame(1));
        assertArrayEquals(new float[] {3 / 32768f, -1f}, buffer.channel(2), 0f);
    }

    @Test
    public void wireBytesAreLittleEndianInterleaved() {
        ByteBuffer out = ByteBuffer.allocate(config.bytesPerBuffer()).order(ByteOrder.BIG_ENDIAN);
        buffer.writeLittleEndian(out);
        assertEquals(12, out.position());
        assertEquals(ByteOrder.BIG_ENDIAN, out.order());
        assertArrayEquals(new byte[] {1, 0, 2, 0, 3, 0, (byte) 0xfc, (byte) 0xff, 5, 0, 0, (byte) 0x80}, out.array());
    }

    @Test(expected = IllegalArgumentException.class)
    public void refusesSamplesOfTheWrongLength() {
        new AudioBuffer(config, 0, 0, new short[5]);
    }

    @Test(expected = UnsupportedOperationException.class)
    public void sharedSamplesCannotBeChanged() {
        buffer.samples().array();
    }
}
