package io.earshot.bridge.audio.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.Test;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;

public class PayloadTest {

    private static AudioBuffer buffer(StreamConfig config, long sequence) {
        short[] samples = new short[config.channels() * config.bufferFrames()];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (i - 3);
        return new AudioBuffer(config, sequence, 1_234_567_890L, samples);
    }

    private static final StreamConfig SMALL = new StreamConfig(48000, 2, 4, 80);

    @Test
    public void aPlainPayloadIsTheInterleavedLittleEndianSamples() {
        Payload payload = new Payload.Pool(4).encode(buffer(SMALL, 7), false);
        ByteBuffer bytes = payload.view().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2 * 4 * 2, payload.size());
        assertEquals(-3, bytes.getShort(0));
        assertEquals(4, bytes.getShort(14));
        assertTrue("a view for sending is read-only", bytes.isReadOnly());
    }

    @Test
    public void theHeaderModeCarriesMagicLengthSequenceAndCaptureTime() {
        ByteBuffer bytes = new Payload.Pool(4).encode(buffer(SMALL, 42), true).view().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Payload.MAGIC, bytes.getInt(0));
        assertEquals(Payload.HEADER_BYTES, bytes.getInt(4));
        assertEquals(42, bytes.getLong(8));
        assertEquals(1_234_567_890L, bytes.getLong(16));
        assertEquals(-3, bytes.getShort(Payload.HEADER_BYTES));
        assertEquals(Payload.HEADER_BYTES + 16, bytes.remaining());
    }

    @Test
    public void aPayloadGoesBackToItsPoolWhenItsLastSendIsDone() {
        Payload.Pool pool = new Payload.Pool(4);
        Payload first = pool.encode(buffer(SMALL, 1), false);
        first.retain(); // one client's send
        first.release(); // the encoder's reference
        assertEquals(0, pool.free());
        first.release(); // the send is done
        assertEquals(1, pool.free());
        assertSame("reused", first, pool.encode(buffer(SMALL, 2), false));
        assertEquals(0, pool.free());
    }

    @Test
    public void thePoolKeepsAtMostItsBoundAndForgetsPayloadsOfAnOldConfig() {
        Payload.Pool pool = new Payload.Pool(2);
        Payload inFlight = pool.encode(buffer(SMALL, 0), false);
        inFlight.retain(); // a slow client's send
        inFlight.release();
        Payload[] held = {pool.encode(buffer(SMALL, 1), false), pool.encode(buffer(SMALL, 2), false), pool.encode(buffer(SMALL, 3), false)};
        for (Payload p : held) p.release();
        assertEquals("bounded", 2, pool.free());
        StreamConfig six = new StreamConfig(48000, 6, 4, 80);
        Payload larger = pool.encode(buffer(six, 9), false);
        assertEquals("a new size clears the old ones", 0, pool.free());
        inFlight.release(); // the slow send of the old size ends: not kept
        assertEquals(0, pool.free());
        larger.release();
        assertEquals(1, pool.free());
        assertSame(larger, pool.encode(buffer(six, 10), false));
    }
}
