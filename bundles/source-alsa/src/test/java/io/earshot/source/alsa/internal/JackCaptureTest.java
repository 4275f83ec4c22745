package io.earshot.source.alsa.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.earshot.api.Capture;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/**
 * Paced capture through real alsa-lib and a JACK server on the dummy backend: a fixed-format
 * device (48 kHz, 8 channels, S16_LE through lfloat) that runs in real time and really overruns.
 */
public class JackCaptureTest {

    @ClassRule
    public static final TemporaryFolder DIR = new TemporaryFolder();

    private static Libasound alsa;
    private static JackServer jack;
    private static Path conf;

    @BeforeClass
    public static void startJack() throws Exception {
        alsa = Libasound.load();
        jack = JackServer.start(DIR.getRoot().toPath());
        Path dir = DIR.newFolder().toPath();
        conf = TestAlsa.asoundConf(dir, TestAlsa.rawFile(dir, 8, 1024));
    }

    @AfterClass
    public static void stopJack() throws Exception {
        if (jack != null) {
            jack.close();
        }
    }

    private static AlsaSource source(int ringPeriods) {
        return new AlsaSource(alsa, TestAlsa.config("earshot_jack", conf, 1024, ringPeriods, 2000));
    }

    @Test
    public void capabilitiesAreProbedFromTheDevice() throws Exception {
        AlsaSource source = source(4);
        try {
            assertEquals(List.of(48000), source.capabilities().rates());
            assertEquals(List.of(8), source.capabilities().channels());
            assertEquals("probed", source.status().get("capabilities"));
        } finally {
            source.deactivate();
        }
    }

    private static void assertRealTime(int bufferFrames, int periodFrames) throws Exception {
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("earshot_jack", conf, periodFrames, 4, 2000));
        StreamConfig config = new StreamConfig(48000, 8, bufferFrames, 100);
        try (Capture capture = source.open(config)) {
            short[] into = new short[config.samplesPerBuffer()];
            capture.read(into); // the stream is running from here
            long start = System.nanoTime();
            int buffers = 4 * 48000 / bufferFrames; // 4 s of audio
            for (int i = 0; i < buffers; i++) {
                capture.read(into);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = (double) buffers * bufferFrames / seconds;
            assertEquals("frames per second delivered over " + seconds + " s, buffers of " + bufferFrames
                    + ", device period " + periodFrames, 48000, rate, 48000 * 0.02);
            assertEquals(0, capture.lostBuffers());
        } finally {
            source.deactivate();
        }
    }

    @Test
    public void theDeliveredRateMatchesRealTimeWithBuffersLargerThanThePeriod() throws Exception {
        assertRealTime(2400, 1024);
    }

    @Test
    public void theDeliveredRateMatchesRealTimeWithBuffersSmallerThanThePeriod() throws Exception {
        assertRealTime(256, 2048);
    }

    @Test
    public void anOverrunIsRecoveredCountedAndCaptureGoesOn() throws Exception {
        AlsaSource source = source(2); // a ring of 2 x 1024 frames: 43 ms
        StreamConfig config = new StreamConfig(48000, 8, 1024, 100);
        try (Capture capture = source.open(config)) {
            short[] into = new short[config.samplesPerBuffer()];
            capture.read(into);
            Thread.sleep(500); // the capture thread stalls: the device overruns meanwhile
            long before = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                capture.read(into);
            }
            assertTrue("reading went on after the overrun", System.nanoTime() - before < 5_000_000_000L);
            @SuppressWarnings("unchecked")
            var status = (java.util.Map<String, Object>) source.status().get("capture");
            assertTrue("overruns counted: " + status, ((Number) status.get("overruns")).longValue() >= 1);
            // 500 ms at 1024 frames per buffer is about 23 buffers; the estimate is counted in sequence numbers
            assertTrue("lost buffers: " + capture.lostBuffers(), capture.lostBuffers() >= 10 && capture.lostBuffers() <= 40);
        } finally {
            source.deactivate();
        }
    }

    @Test
    public void aRateTheDeviceRefusesIsRefusedWithTheReason() throws Exception {
        AlsaSource source = source(4);
        try {
            source.open(new StreamConfig(16000, 8, 1024, 100)).close();
            fail("16 kHz on a 48 kHz-only device was accepted");
        } catch (SourceException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("device earshot_jack")
                    && e.getMessage().contains("rate 16000") && e.getMessage().contains("[48000]"));
        } finally {
            source.deactivate();
        }
    }
}
