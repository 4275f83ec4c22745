package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The devices' Gogo commands, through the runtime's shell, on a device that bin/earshot-device plays. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DevicesShellIT extends EarshotTestSupport {

    @Test
    public void theCommandsListTheDevicesSetTheirLedsAndDriveTheirQueue() throws Exception {
        assertTrue(shell("devices:list"), shell("devices:list").contains("not serving: devices are off"));
        assertTrue(shell("devices:stop kitchen"), shell("devices:stop kitchen").startsWith("Not done: devices are off"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        configure("io.earshot.devices", "enabled", "true", "port", String.valueOf(port), "sharedKey", "shell-key");
        await("the devices serving", 30, () -> safely(() -> status().at("/devices/serving").asBoolean()));
        Path clips = home().resolve("data/device-clips");
        Files.createDirectories(clips);
        Files.write(clips.resolve("chime.wav"), silentWav(5 * 48000));
        Path out = home().resolve("device-shell.log");
        Process device = new ProcessBuilder(Paths.get(System.getProperty("earshot.dist.dir"), "bin/earshot-device").toString(),
                "127.0.0.1:" + port, "--id", "kitchen", "--key", "shell-key", "--seconds", "60")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await("kitchen online and listening", 30, () -> safely(() -> shell("devices:list").contains("kitchen")
                    && status().at("/devices/devices/0/transport/listening").asBoolean()));
            String list = shell("devices:list");
            assertTrue(list, list.contains("Devices on 127.0.0.1:" + port) && list.matches("(?s).*kitchen +online +leds 12 +level +stopped.*"));
            assertEquals("LEDs of kitchen: off", shell("devices:led kitchen off"));
            await("the ring off on the device", 10, () -> safely(() -> Files.readString(out).contains("leds: " + "000000 ".repeat(11) + "000000")));
            assertTrue(shell("devices:led kitchen sparkle"), shell("devices:led kitchen sparkle").contains("level, direction or off"));
            assertEquals("chime queued on kitchen", shell("devices:play kitchen chime"));
            assertEquals("chime queued on kitchen", shell("devices:play kitchen chime"));
            await("playing", 10, () -> safely(() -> shell("devices:list").matches("(?s).*kitchen.*playing +chime queue \\[chime\\].*")));
            assertEquals("kitchen: next clip", shell("devices:next kitchen"));
            assertTrue(shell("devices:list"), shell("devices:list").matches("(?s).*playing +chime queue \\[\\].*"));
            assertEquals("kitchen stopped", shell("devices:stop kitchen"));
            assertTrue(shell("devices:list"), shell("devices:list").matches("(?s).*kitchen +online.*stopped.*"));
            // stop ended the last clip and the queue is empty
            assertEquals("Not done: nothing to play: device 'kitchen' has no clip waiting", shell("devices:play kitchen"));
            String missing = shell("devices:play kitchen nosuch");
            assertTrue(missing, missing.startsWith("Not done: no clip 'nosuch'"));
            assertTrue(shell("devices:next attic"), shell("devices:next attic").startsWith("Not done: no device 'attic'"));
        } finally {
            try (OutputStream in = device.getOutputStream()) {
                in.write("q\n".getBytes());
            } catch (java.io.IOException gone) {
                // it ended already
            }
            if (!device.waitFor(10, TimeUnit.SECONDS)) device.destroyForcibly();
        }
        assertTrue(new File(out.toString()).length() > 0);
    }

    /** 48 kHz mono silence as a WAV file (DevicesIT's own writer would pull Selenium into the probe). */
    private static byte[] silentWav(int samples) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(48000).putInt(96000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        return b.array();
    }
}
