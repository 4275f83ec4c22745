package io.earshot.devices.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ClipReaderTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path wav(int rate, int channels, short[] interleaved, int bits) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + interleaved.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + interleaved.length * 2).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) channels).putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) bits)
                .put("data".getBytes()).putInt(interleaved.length * 2);
        for (short v : interleaved) b.putShort(v);
        return Files.write(folder.newFile().toPath(), b.array());
    }

    @Test
    public void aClipAt44100HzPlaysAt48kHzWithTheSameDurationPaddedToAWholeFrame() throws IOException {
        short[] samples = new short[44100];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (10000 * Math.sin(2 * Math.PI * 440 * i / 44100.0));
        try (ClipReader reader = new ClipReader(wav(44100, 1, samples, 16), 2)) {
            assertEquals(1, reader.channels());
            assertEquals(48000, reader.frames());
            short[] frame = new short[Opus.FRAME];
            int frames = 0;
            double peak = 0;
            while (!reader.done()) {
                reader.read(frame);
                frames++;
                for (short v : frame) peak = Math.max(peak, Math.abs(v));
            }
            assertEquals(50, frames);
            assertTrue("the tone's amplitude kept: " + peak, peak > 9900 && peak <= 10000);
        }
    }

    @Test
    public void aStereoFileIsMixedForAMonoDeviceAndKeptForAStereoOne() throws IOException {
        short[] samples = new short[2 * 960];
        for (int f = 0; f < 960; f++) {
            samples[2 * f] = 1000;
            samples[2 * f + 1] = 3000;
        }
        Path file = wav(48000, 2, samples, 16);
        short[] mono = new short[Opus.FRAME];
        try (ClipReader reader = new ClipReader(file, 1)) {
            reader.read(mono);
        }
        assertEquals(2000, mono[10]);
        short[] stereo = new short[2 * Opus.FRAME];
        try (ClipReader reader = new ClipReader(file, 2)) {
            reader.read(stereo);
        }
        assertEquals(1000, stereo[20]);
        assertEquals(3000, stereo[21]);
    }

    @Test
    public void whatDoesNotPlayIsRefusedWithTheReason() throws IOException {
        IOException bits = assertThrows(IOException.class, () -> new ClipReader(wav(48000, 1, new short[10], 24), 1));
        assertTrue(bits.getMessage(), bits.getMessage().contains("only 16-bit"));
        Path text = Files.writeString(folder.newFile().toPath(), "not audio at all");
        IOException notWav = assertThrows(IOException.class, () -> new ClipReader(text, 1));
        assertTrue(notWav.getMessage(), notWav.getMessage().contains("not a WAV file"));
    }
}
