package io.earshot.dashboard.internal;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;

public class DashboardMessagesTest {

    @Test
    public void handlerAudioIsTheStreamFramingWithRateChannelsAndIdInAnExtendedHeader() {
        short[] samples = {1, -2, 3, -4, 32767, -32768};
        AudioBuffer audio = new AudioBuffer(new StreamConfig(16000, 2, 3, 100), 41, 1_700_000_000_123_456_789L, samples);
        ByteBuffer message = new DashboardMessages().audio("h17", audio).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals("ES01", StandardCharsets.US_ASCII.decode(message.duplicate().limit(4)).toString());
        int headerLength = message.getInt(4);
        assertEquals("36 bytes and the 3 of the id, padded to 4", 40, headerLength);
        assertEquals(41, message.getLong(8));
        assertEquals(1_700_000_000_123_456_789L, message.getLong(16));
        assertEquals(16000, message.getInt(24));
        assertEquals(2, message.getInt(28));
        assertEquals(3, message.getInt(32));
        assertEquals("h17", StandardCharsets.UTF_8.decode(message.duplicate().position(36).limit(39)).toString());
        assertEquals(headerLength + samples.length * 2, message.remaining());
        for (int i = 0; i < samples.length; i++) {
            assertEquals(samples[i], message.getShort(headerLength + 2 * i));
        }
    }
}
