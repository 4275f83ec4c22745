package io.earshot.source.alsa.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.earshot.api.Capture;
import io.earshot.api.SourceException;
import io.earshot.api.StreamConfig;

/** Devices that are not there, configurations that cannot work, and a device that dies mid-stream. */
public class DeviceFailureTest {

    @ClassRule
    public static final TemporaryFolder DIR = new TemporaryFolder();

    private final Libasound alsa = Libasound.load();

    @Test
    public void anUnknownDeviceFailsWithAlsasReasonAndTheNameInTheStatus() throws Exception {
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("no_such_device", null, 0, 4, 2000));
        try {
            assertTrue(String.valueOf(source.status()), String.valueOf(source.status().get("capabilities"))
                    .startsWith("not probed: device no_such_device: No such file or directory"));
            source.open(StreamConfig.DEFAULT).close();
            fail("opening an unknown device succeeded");
        } catch (SourceException e) {
            assertEquals("device no_such_device: No such file or directory (cannot open for capture)", e.getMessage());
        } finally {
            source.deactivate();
        }
    }

    @Test
    public void libasoundsOwnMessagesGoToTheLogNotStderr() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AlsaLog log = AlsaLog.install(alsa, lines::add);
        try {
            AlsaSource source = new AlsaSource(alsa, TestAlsa.config("no_such_device", null, 0, 4, 2000));
            try {
                source.open(StreamConfig.DEFAULT).close();
                fail("opening an unknown device succeeded");
            } catch (SourceException e) {
                // its errno says little; what libasound said with it goes into the reason
                assertEquals("device no_such_device: No such file or directory (cannot open for capture;"
                        + " libasound: Unknown PCM no_such_device)", e.getMessage());
            }
            source.deactivate();
        } finally {
            log.uninstall();
        }
        assertTrue("libasound said: " + lines, lines.stream().anyMatch(l -> l.startsWith("Unknown PCM no_such_device (pcm.c:")));
    }

    @Test
    public void aBadSettingIsReportedAndOpenRefusesWithIt() throws Exception {
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("default", null, 5, 1, 2000));
        try {
            String problem = String.valueOf(source.status().get("config_error"));
            assertTrue(problem, problem.contains("periodFrames 5 is out of range; allowed: 0 (one period per buffer) or 16..65536"));
            assertTrue(problem, problem.contains("ringPeriods 1 is out of range; allowed: 2..64"));
            source.open(StreamConfig.DEFAULT).close();
            fail("a misconfigured source opened");
        } catch (SourceException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("io.earshot.source.alsa: periodFrames 5"));
        } finally {
            source.deactivate();
        }
    }

    @Test
    public void anAlsaConfigurationFileThatDoesNotParseIsReported() throws Exception {
        Path broken = DIR.newFile("broken.conf").toPath();
        java.nio.file.Files.writeString(broken, "pcm.x { type file \n");
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("x", broken, 0, 4, 2000));
        try {
            String problem = String.valueOf(source.status().get("config_error"));
            assertTrue(problem, problem.startsWith("ALSA configuration " + broken + ": "));
            assertTrue(problem, problem.contains("(parsing it"));
        } finally {
            source.deactivate();
        }
    }

    @Test
    public void aDeviceThatStopsMidStreamFailsTheReadWithAReason() throws Exception {
        Path dir = DIR.newFolder().toPath();
        Path conf = TestAlsa.asoundConf(dir, TestAlsa.rawFile(dir, 8, 1024));
        JackServer jack = JackServer.start(dir);
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("earshot_jack", conf, 1024, 4, 1000));
        StreamConfig config = new StreamConfig(48000, 8, 1024, 100);
        try (Capture capture = source.open(config)) {
            short[] into = new short[config.samplesPerBuffer()];
            for (int i = 0; i < 5; i++) {
                capture.read(into);
            }
            jack.close(); // the device goes away under the capture
            long start = System.nanoTime();
            SourceException failure = null;
            try {
                for (int i = 0; i < 200; i++) {
                    capture.read(into);
                }
            } catch (SourceException e) {
                failure = e;
            }
            assertNotNull("reads went on after the server was gone", failure);
            assertTrue(failure.getMessage(), failure.getMessage().startsWith("device earshot_jack: "));
            assertTrue("failed within 5 s", System.nanoTime() - start < 5_000_000_000L);
        } finally {
            jack.close();
            source.deactivate();
        }
    }
}
