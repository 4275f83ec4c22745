package io.earshot.source.alsa.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.earshot.api.Capture;
import io.earshot.api.StreamConfig;

/**
 * Unpaced capture through real alsa-lib: the file plugin feeds a raw file into the PCM, and
 * every sample read must be the file's, whatever the period and buffer sizes.
 */
public class FileCaptureTest {

    @ClassRule
    public static final TemporaryFolder DIR = new TemporaryFolder();

    private static final int FILE_FRAMES = 200_000;
    private static Libasound alsa;

    @BeforeClass
    public static void loadLibrary() {
        alsa = Libasound.load();
    }

    private static void assertSamplesEqualFile(int rate, int channels, int bufferFrames, int periodFrames) throws Exception {
        Path dir = DIR.newFolder().toPath();
        Path conf = TestAlsa.asoundConf(dir, TestAlsa.rawFile(dir, channels, FILE_FRAMES));
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("earshot_file", conf, periodFrames, 4, 2000));
        try {
            assertTrue("probed " + source.capabilities(), source.capabilities().rates().contains(rate));
            assertTrue("probed " + source.capabilities(), source.capabilities().channels().contains(channels));
            StreamConfig config = new StreamConfig(rate, channels, bufferFrames, 100);
            int buffers = FILE_FRAMES / 2 / bufferFrames;
            long frame = 0;
            try (Capture capture = source.open(config)) {
                short[] into = new short[config.samplesPerBuffer()];
                for (int b = 0; b < buffers; b++) {
                    capture.read(into);
                    for (int f = 0; f < bufferFrames; f++, frame++) {
                        for (int c = 0; c < channels; c++) {
                            if (into[f * channels + c] != TestAlsa.sample(frame, c)) {
                                throw new AssertionError("buffer " + b + " frame " + frame + " channel " + c + ": read "
                                        + into[f * channels + c] + ", the file has " + TestAlsa.sample(frame, c));
                            }
                        }
                    }
                }
                assertEquals(0, capture.lostBuffers());
            }
            assertEquals(FILE_FRAMES / 2 / bufferFrames * bufferFrames, frame);
        } finally {
            source.deactivate();
        }
    }

    @Test
    public void sixChannelsAt48kHzOnePeriodPerBuffer() throws Exception {
        assertSamplesEqualFile(48000, 6, 4096, 0);
    }

    @Test
    public void eightChannelsAt48kHzAssembledFromSmallerPeriods() throws Exception {
        assertSamplesEqualFile(48000, 8, 1000, 256);
    }

    @Test
    public void sixChannelsAt16kHzSplitFromLargerPeriods() throws Exception {
        assertSamplesEqualFile(16000, 6, 256, 1024);
    }

    @Test
    public void eightChannelsAt16kHz() throws Exception {
        assertSamplesEqualFile(16000, 8, 4096, 0);
    }

    @Test
    public void volumeBelow100IsASoftwareGainWhenTheDeviceHasNoMixer() throws Exception {
        Path dir = DIR.newFolder().toPath();
        Path conf = TestAlsa.asoundConf(dir, TestAlsa.rawFile(dir, 6, 20_000));
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("earshot_file", conf, 0, 4, 2000));
        try (Capture capture = source.open(new StreamConfig(48000, 6, 1024, 50))) {
            short[] into = new short[1024 * 6];
            capture.read(into);
            for (int i = 0; i < into.length; i++) {
                assertEquals(Math.round(TestAlsa.sample(i / 6, i % 6) * 0.5), into[i], 1);
            }
            assertTrue(String.valueOf(source.status().get("volume")),
                    String.valueOf(source.status().get("volume")).startsWith("software gain"));
        } finally {
            source.deactivate();
        }
    }
}
