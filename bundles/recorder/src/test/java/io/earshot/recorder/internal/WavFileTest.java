package io.earshot.recorder.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.earshot.api.AudioBuffer;
import io.earshot.api.StreamConfig;

public class WavFileTest {

    static final StreamConfig CONFIG = new StreamConfig(8000, 3, 100, 80);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    static AudioBuffer buffer(StreamConfig config, long sequence) {
        short[] samples = new short[config.samplesPerBuffer()];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (sequence * 7919 + i * 31);
        return new AudioBuffer(config, sequence, System.currentTimeMillis() * 1_000_000L + 1_000_000_000L, samples);
    }

    /** Every sample of a WAV file, as javax.sound reads it; checks its format against {@code config}. */
    static short[] readWav(Path file, StreamConfig config) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat format = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, format.getEncoding());
            assertEquals(16, format.getSampleSizeInBits());
            assertEquals(config.channels(), format.getChannels());
            assertEquals(config.rate(), format.getSampleRate(), 0);
            assertTrue(!format.isBigEndian());
            byte[] bytes = readAll(in);
            assertEquals(in.getFrameLength() * config.channels() * 2, bytes.length);
            short[] samples = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
            return samples;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    static short[] samplesOf(AudioBuffer buffer) {
        short[] out = new short[buffer.config().samplesPerBuffer()];
        buffer.copyTo(out);
        return out;
    }

    @Test
    public void aClosedFileIsReadBackByJavaSoundSampleForSample() throws Exception {
        Path path = temp.getRoot().toPath().resolve("a.wav");
        AudioBuffer first = buffer(CONFIG, 1), second = buffer(CONFIG, 2);
        try (WavFile wav = new WavFile(path, CONFIG, WavFile.MAX_FILE_BYTES)) {
            wav.append(first, 0, 100);
            wav.appendSilence(50);
            wav.append(second, 40, 60); // the second buffer's last 60 frames
        }
        short[] read = readWav(path, CONFIG);
        assertEquals((100 + 50 + 60) * 3, read.length);
        short[] expected = new short[read.length];
        System.arraycopy(samplesOf(first), 0, expected, 0, 300);
        System.arraycopy(samplesOf(second), 120, expected, 450, 180);
        assertArrayEquals(expected, read);
        assertEquals(44 + 210 * 6, Files.size(path));
    }

    @Test
    public void syncBringsTheHeaderUpToWhatWasWritten() throws Exception {
        Path path = temp.getRoot().toPath().resolve("b.wav");
        WavFile wav = new WavFile(path, CONFIG, WavFile.MAX_FILE_BYTES);
        wav.append(buffer(CONFIG, 1), 0, 100);
        assertEquals("not brought up to date yet", 0, WavFile.read(path).declaredDataBytes());
        wav.sync();
        assertEquals(600, WavFile.read(path).declaredDataBytes());
        assertTrue(WavFile.read(path).consistent());
        wav.append(buffer(CONFIG, 2), 0, 100);
        assertEquals(600, WavFile.read(path).declaredDataBytes());
        wav.close();
        assertEquals(1200, WavFile.read(path).declaredDataBytes());
    }

    @Test
    public void aPartIsFullBeforeItsLimit() throws Exception {
        Path path = temp.getRoot().toPath().resolve("c.wav");
        try (WavFile wav = new WavFile(path, CONFIG, 44 + 6 * 150 + 5)) {
            assertEquals(150, wav.roomFrames());
            wav.append(buffer(CONFIG, 1), 0, 100);
            assertEquals(50, wav.roomFrames());
        }
        try {
            new WavFile(temp.getRoot().toPath().resolve("d.wav"), CONFIG, 44 + 5);
            fail("a part that cannot hold one frame was made");
        } catch (IllegalArgumentException e) {
            assertEquals("a part of at most 49 bytes cannot hold one frame", e.getMessage());
        }
    }

    @Test
    public void neverOverwritesAFile() throws Exception {
        Path path = temp.getRoot().toPath().resolve("e.wav");
        Files.writeString(path, "mine");
        try {
            new WavFile(path, CONFIG, WavFile.MAX_FILE_BYTES).close();
            fail("an existing file was overwritten");
        } catch (java.nio.file.FileAlreadyExistsException e) {
            assertEquals("mine", Files.readString(path));
        }
    }

    @Test
    public void repairTakesTheSizesFromTheLengthAndCutsAHalfWrittenFrame() throws Exception {
        Path path = temp.getRoot().toPath().resolve("f.wav");
        AudioBuffer first = buffer(CONFIG, 1), second = buffer(CONFIG, 2);
        WavFile wav = new WavFile(path, CONFIG, WavFile.MAX_FILE_BYTES);
        wav.append(first, 0, 100);
        wav.sync();
        wav.append(second, 0, 100); // written, never synced: as a kill -9 leaves it
        try (FileChannel raw = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            raw.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})); // two samples of a frame of three
        }
        assertEquals(600, WavFile.read(path).declaredDataBytes());

        WavFile.Repair repair = WavFile.repair(path);
        assertEquals(600, repair.declaredDataBytes());
        assertEquals(1200, repair.dataBytes());
        assertEquals(4, repair.bytesCut());
        short[] read = readWav(path, CONFIG);
        short[] expected = new short[600];
        System.arraycopy(samplesOf(first), 0, expected, 0, 300);
        System.arraycopy(samplesOf(second), 0, expected, 300, 300);
        assertArrayEquals(expected, read);
        assertNull("a repaired file needs no second repair", WavFile.repair(path));
    }

    @Test
    public void repairLeavesWhatIsNotARecordersWavAsItIs() throws Exception {
        Path path = temp.getRoot().toPath().resolve("g.wav");
        Files.write(path, new byte[100]);
        try {
            WavFile.repair(path);
            fail("100 zero bytes were taken for a WAV file");
        } catch (IOException e) {
            assertEquals("g.wav is not a 44-byte-header 16-bit PCM WAV file as the recorder writes", e.getMessage());
        }
        assertEquals(100, Files.size(path));
    }
}
