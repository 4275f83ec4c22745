package io.earshot.source.alsa.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.earshot.api.Capture;
import io.earshot.api.StreamConfig;

/**
 * Volume on a real mixer with no sound card: a PulseAudio server with a null sink, reached
 * through libasound's pulse plugins (its "pulse" PCM and its "pulse" mixer with a "Capture"
 * control). The build points {@code PULSE_SERVER} at the socket this test's server opens.
 */
public class PulseMixerTest {

    @ClassRule
    public static final TemporaryFolder DIR = new TemporaryFolder();

    private static Process pulse;
    private static Libasound alsa;

    @BeforeClass
    public static void startPulse() throws Exception {
        boolean installed = new File("/usr/bin/pulseaudio").canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("pulseaudio is not installed; .ci/run installs it");
        }
        assumeTrue("pulseaudio is not installed: the mixer test is skipped", installed);
        String server = System.getenv("PULSE_SERVER");
        if (server == null || !server.startsWith("unix:")) {
            throw new IllegalStateException("PULSE_SERVER=unix:SOCKET is not set: run the tests through Maven, which sets it");
        }
        Path socket = Path.of(server.substring("unix:".length()));
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        Path home = DIR.newFolder("pulse-home").toPath();
        ProcessBuilder builder = new ProcessBuilder(List.of("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                "--disallow-exit", "--use-pid-file=no", "--log-target=stderr",
                "-L", "module-null-sink sink_name=earshot",
                "-L", "module-native-protocol-unix socket=" + socket + " auth-anonymous=1"))
                .redirectErrorStream(true).redirectOutput(home.resolve("pulseaudio.log").toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PULSE_RUNTIME_PATH", home.toString());
        pulse = builder.start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(100);
        }
        if (!Files.exists(socket) || !pulse.isAlive()) {
            pulse.destroyForcibly();
            throw new IllegalStateException("pulseaudio did not come up: " + Files.readString(home.resolve("pulseaudio.log")));
        }
        alsa = Libasound.load();
    }

    @AfterClass
    public static void stopPulse() throws Exception {
        if (pulse != null) {
            pulse.destroy();
            if (!pulse.waitFor(5, TimeUnit.SECONDS)) {
                pulse.destroyForcibly();
            }
        }
    }

    /** The Capture control as another program sees it: a mixer handle of its own. */
    private static String captureLevel() {
        try (CaptureVolume probe = CaptureVolume.open(alsa, "pulse", List.of("Capture"))) {
            String described = probe.describe();
            assertTrue(described, probe instanceof CaptureVolume.Mixer);
            return described.substring(described.indexOf(", now ") + ", now ".length());
        }
    }

    @Test
    public void theStreamVolumeMovesTheDevicesCaptureControl() throws Exception {
        // the null sink's monitor can take a moment to deliver its first period: a generous silence limit
        AlsaSource source = new AlsaSource(alsa, TestAlsa.config("pulse", null, 0, 4, 10_000, "pulse", "Mic,Capture"));
        try {
            for (int volume : new int[] {30, 80}) {
                StreamConfig config = new StreamConfig(48000, 2, 1024, volume);
                try (Capture capture = source.open(config)) {
                    capture.read(new short[config.samplesPerBuffer()]);
                    long expected = Math.round(65536 * volume / 100.0);
                    assertEquals("volume " + volume, String.valueOf(expected), captureLevel());
                    String status = String.valueOf(source.status().get("volume"));
                    assertTrue(status, status.startsWith("mixer control 'Capture' on pulse (0..65536), now " + expected));
                }
            }
        } finally {
            source.deactivate();
        }
    }

    @Test
    public void aMixerWithoutTheNamedControlsFallsBackToSoftwareGainAndSaysWhy() {
        try (CaptureVolume volume = CaptureVolume.open(alsa, "pulse", List.of("Mic Boost"))) {
            assertEquals("software gain (mixer pulse has none of the capture controls [Mic Boost])", volume.describe());
            volume.set(40);
            assertEquals(0.4, volume.softwareGain(), 1e-9);
        }
    }
}
