package io.earshot.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The ALSA source in the assembled runtime: selected through ConfigAdmin, it captures a PCM whose
 * samples come from a file (alsa-lib's file plugin) paced in real time by a JACK server on the
 * dummy backend, and a WebSocket client receives exactly the file's bytes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AlsaSourceIT extends EarshotTestSupport {

    private static final int CHANNELS = 8;
    private static final int FRAMES = 4096;
    private static final int FILE_SECONDS = 20;

    @Test
    public void aWebSocketClientReceivesTheFilesSamplesByteForByte() throws Exception {
        Path dir = Files.createDirectories(home().resolve("alsa"));
        byte[] file = samples(48000 * FILE_SECONDS, CHANNELS);
        Path raw = Files.write(dir.resolve("array-8ch.raw"), file);
        Path conf = Files.writeString(dir.resolve("asound.conf"), asoundConf(raw));
        Process jackd = startJack(dir);
        try {
            configure("io.earshot.source.alsa", "device", "earshot_jackfile", "configFile", conf.toString());
            configure("io.earshot.hub", "source", "alsa");
            await("the hub to run the ALSA source", 20, () -> safely(() ->
                    "alsa".equals(status().at("/stream/source/id").asText())
                            && "running".equals(status().at("/stream/capture/state").asText())));
            assertEquals("probed", status().at("/stream/source/capabilities").asText());

            WsClient config = WsClient.connect(http, ws("/ws/config?token=" + TOKEN));
            JsonNode answer = JSON.readTree(config.ask("{\"channels\":8,\"rate\":48000,\"buffer_frames\":4096,\"volume\":100}"));
            config.close();
            assertTrue("config refused: " + answer, answer.get("ok").asBoolean());

            WsClient audio = WsClient.connect(http, ws("/ws/audio?header=1"));
            try {
                String possible = null;
                int wanted = 24;
                byte[] received = new byte[wanted * FRAMES * CHANNELS * 2];
                long firstSequence = -1;
                int got = 0;
                while (got < wanted) {
                    WsClient.Message m = audio.messages.poll(10, TimeUnit.SECONDS);
                    if (m == null) {
                        throw new AssertionError("no message within 10 s after " + got + " buffers; status: " + status());
                    }
                    if (m.isText()) {
                        if (m.text().contains("possible_rates")) possible = m.text();
                        continue;
                    }
                    assertEquals("binary size", 24 + FRAMES * CHANNELS * 2, m.binary().length);
                    if (firstSequence < 0) firstSequence = m.sequence();
                    assertEquals("buffers arrive without gaps", firstSequence + got, m.sequence());
                    System.arraycopy(m.binary(), 24, received, got * FRAMES * CHANNELS * 2, FRAMES * CHANNELS * 2);
                    got++;
                }
                // what the device can do, probed: the JACK ports' one rate, exactly 8 channels
                JsonNode offered = JSON.readTree(String.valueOf(possible));
                assertEquals("[8]", offered.get("possible_channel").toString());
                assertEquals("[48000]", offered.get("possible_rates").toString());
                int offset = indexOf(file, Arrays.copyOf(received, 64));
                assertTrue("the first buffer is nowhere in the file", offset >= 0);
                assertEquals("frame aligned", 0, offset % (CHANNELS * 2));
                assertArrayEquals("what the client got is the file from frame " + offset / (CHANNELS * 2),
                        Arrays.copyOfRange(file, offset, offset + received.length), received);
            } finally {
                audio.close();
            }
            assertEquals(0, status().at("/stream/source/capture/overruns").asLong());
        } finally {
            configure("io.earshot.hub", "source", "synthetic");
            jackd.destroy();
            jackd.waitFor(5, TimeUnit.SECONDS);
        }
        await("the synthetic source back", 20, () -> safely(() ->
                "synthetic".equals(status().at("/stream/source/id").asText())
                        && "running".equals(status().at("/stream/capture/state").asText())));
    }

    @Test
    public void anUnknownDeviceGivesAClearStatusAndOtherSourcesStaySelectable() throws Exception {
        configure("io.earshot.source.alsa", "device", "no_such_pcm");
        configure("io.earshot.hub", "source", "alsa");
        try {
            await("the failure in the status", 20, () -> safely(() ->
                    status().at("/stream/capture/last_error").asText().startsWith("device no_such_pcm: No such file or directory")
                            && status().at("/stream/capture/state").asText().startsWith("source 'alsa' failed, retrying in")));
            assertTrue(status().at("/stream/source/available").toString(), status().at("/stream/source/available").toString().contains("synthetic"));
        } finally {
            configure("io.earshot.hub", "source", "synthetic");
        }
        await("the synthetic source back", 20, () -> safely(() ->
                "running".equals(status().at("/stream/capture/state").asText())
                        && "synthetic".equals(status().at("/stream/source/id").asText())));
        WsClient audio = WsClient.connect(http, ws("/ws/audio"));
        try {
            WsClient.Message m;
            do {
                m = audio.messages.poll(10, TimeUnit.SECONDS);
                if (m == null) throw new AssertionError("no buffer within 10 s; status: " + status());
            } while (m.isText());
            assertTrue(m.binary().length > 0);
        } finally {
            audio.close();
        }
    }


    /** Distinct values per frame and channel, so any misplaced or missing frame shows. */
    private static byte[] samples(int frames, int channels) {
        ByteBuffer bytes = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                bytes.putShort((short) (f * 7 + c * 4099 + (f >> 13) * 613));
            }
        }
        return bytes.array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i += 2) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static String asoundConf(Path raw) {
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < CHANNELS; i++) {
            ports.append(' ').append(i).append(" system:capture_").append(i + 1);
        }
        return "pcm.earshot_jack8 { type jack capture_ports {" + ports + " } }\n"
                + "pcm.earshot_jacks16 { type lfloat slave { pcm \"earshot_jack8\" format FLOAT_LE } }\n"
                + "pcm.earshot_jackfile { type file slave.pcm \"earshot_jacks16\" file \"/dev/null\""
                + " infile \"" + raw + "\" format \"raw\" }\n";
    }

    /** A JACK server named by JACK_DEFAULT_SERVER (set by the build), paced by its dummy backend. */
    private static Process startJack(Path dir) throws Exception {
        boolean installed = new File("/usr/bin/jackd").canExecute() && new File("/usr/bin/jack_wait").canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("jackd2 is not installed; .ci/run installs it");
        }
        assumeTrue("jackd is not installed (apt-get install jackd2 libasound2-plugins)", installed);
        ProcessBuilder builder = new ProcessBuilder(List.of("jackd", "--no-realtime", "-n", System.getenv("JACK_DEFAULT_SERVER"),
                "-d", "dummy", "-r", "48000", "-p", "1024", "-C", "8", "-P", "8"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("jackd.log").toFile());
        Process jackd = builder.start();
        Process wait = new ProcessBuilder("jack_wait", "-w", "-t", "10").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!wait.waitFor(15, TimeUnit.SECONDS) || wait.exitValue() != 0 || !jackd.isAlive()) {
            jackd.destroyForcibly();
            throw new AssertionError("jackd did not come up: " + Files.readString(dir.resolve("jackd.log")));
        }
        return jackd;
    }
}
