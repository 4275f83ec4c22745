package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Files in conf/ as a user edits them, with mistakes: a value of the wrong type is named in the
 * status and left out (its default applies) while the rest of the file is applied and the stream
 * keeps running; a corrected file clears the problem.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigFilesIT extends EarshotTestSupport {

    private void writeConf(String pid, String content) throws Exception {
        Path staging = home().resolve(pid + ".cfg.part");
        Files.writeString(staging, content);
        Files.move(staging, home().resolve("conf").resolve(pid + ".cfg"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode problem(String pid, String key) throws Exception {
        for (JsonNode p : status().at("/config_checks/problems")) {
            if (pid.equals(p.get("pid").asText()) && key.equals(p.get("key").asText())) return p;
        }
        return null;
    }

    @Test
    public void aTypoInAFileIsNamedAndTheRestOfTheFileApplies() throws Exception {
        await("the synthetic source running", 20, () -> safely(() -> "running".equals(status().at("/stream/capture/state").asText())));
        writeConf("io.earshot.hub", "source=synthetic\nrate=44100x\nchannels=4 \nbuffer_frames=2048\nvolume=80\n");
        writeConf("io.earshot.bridge.audio", "sendThreads=abc\nmaxClients=500\nbogusKey=1\n");

        await("the hub's problem in the status", 20, () -> safely(() -> problem("io.earshot.hub", "rate") != null));
        JsonNode rate = problem("io.earshot.hub", "rate");
        assertEquals("44100x", rate.get("value").asText());
        assertEquals("is not a whole number", rate.get("problem").asText());
        assertEquals("left out, so its default 48000 applies", rate.get("consequence").asText());
        await("the rest of the hub's file applied", 20, () -> safely(() -> status().at("/stream/config/channels").asInt() == 4
                && status().at("/stream/config/buffer_frames").asInt() == 2048
                && "running".equals(status().at("/stream/capture/state").asText())));
        assertEquals(48000, status().at("/stream/config/rate").asInt());

        await("the audio bridge's problems in the status", 20, () -> safely(() -> problem("io.earshot.bridge.audio", "sendThreads") != null
                && problem("io.earshot.bridge.audio", "bogusKey") != null));
        assertEquals("ignored", problem("io.earshot.bridge.audio", "bogusKey").get("consequence").asText());
        await("the audio bridge running with the file's other value", 20, () -> safely(() ->
                status().at("/audio_clients/limits/max_clients").asInt() == 500));
        WsClient audio = WsClient.connect(http, ws("/ws/audio"));
        try {
            WsClient.Message binary;
            do {
                binary = audio.messages.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue("no buffer from the audio bridge", binary != null);
            } while (binary.isText());
            assertEquals(2048 * 4 * 2, binary.binary().length);
        } finally {
            audio.close();
        }

        writeConf("io.earshot.hub", "source=synthetic\nrate=48000\nchannels=6\nbuffer_frames=4096\nvolume=80\n");
        await("the corrected file's problem gone", 20, () -> safely(() -> problem("io.earshot.hub", "rate") == null
                && status().at("/stream/config/channels").asInt() == 6));
    }

    private JsonNode fileProblem(String file) throws Exception {
        for (JsonNode p : status().at("/config_checks/files")) {
            if (file.equals(p.get("file").asText())) return p;
        }
        return null;
    }

    /** FileInstall refuses a file with an empty key whole, silently; the checks name the file and the line. */
    @Test
    public void aLineFileInstallCannotTakeIsNamedByFileAndLine() throws Exception {
        await("the synthetic source running", 20, () -> safely(() -> "running".equals(status().at("/stream/capture/state").asText())));
        writeConf("io.earshot.hub", "# the hub\nsource=synthetic\nchannels=2\n=5\n");
        writeConf("io.earshot.classic", "enabled=false\nname=\\uZZZZ\n");
        await("the empty key in the status", 20, () -> safely(() -> fileProblem("conf/io.earshot.hub.cfg") != null));
        JsonNode empty = fileProblem("conf/io.earshot.hub.cfg");
        assertEquals(4, empty.get("line").asInt());
        assertEquals("=5", empty.get("text").asText());
        assertEquals("has no key before '='", empty.get("problem").asText());
        assertTrue(empty.get("allowed").asText(), empty.get("allowed").asText().startsWith("KEY=VALUE"));
        assertEquals("FileInstall applies nothing of this file until it is corrected", empty.get("consequence").asText());
        await("the broken escape in the status", 20, () -> safely(() -> fileProblem("conf/io.earshot.classic.cfg") != null));
        assertEquals(2, fileProblem("conf/io.earshot.classic.cfg").get("line").asInt());

        writeConf("io.earshot.hub", "# the hub\nsource=synthetic\nchannels=2\n");
        await("the corrected file applied and its problem gone", 20, () -> safely(() -> fileProblem("conf/io.earshot.hub.cfg") == null
                && status().at("/stream/config/channels").asInt() == 2));
        Files.delete(home().resolve("conf").resolve("io.earshot.classic.cfg"));
        await("the deleted file's problem gone", 20, () -> safely(() -> fileProblem("conf/io.earshot.classic.cfg") == null));
        writeConf("io.earshot.hub", "source=synthetic\nrate=48000\nchannels=6\nbuffer_frames=4096\nvolume=80\n");
        await("six channels again", 20, () -> safely(() -> status().at("/stream/config/channels").asInt() == 6));
    }
}
