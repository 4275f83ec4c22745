package io.earshot.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Recordings on disk, in a runtime started as a user starts it: made over REST, read back with
 * javax.sound and compared, sample for sample, with what the same runtime sent on /ws/audio
 * (header mode: by sequence number); a runtime killed with SIGKILL mid-recording, whose file the
 * next start repairs; a config change mid-recording; a read-only recordings folder.
 */
public class RecordingsIT {

    private static final String TOKEN = "recordings-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RuntimeProcess runtime;

    @BeforeClass
    public static void start() throws Exception {
        runtime = RuntimeProcess.start(TOKEN);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (runtime != null) runtime.close();
    }

    private static HttpResponse<byte[]> send(RuntimeProcess on, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(on.url(path))).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> withToken(RuntimeProcess on, String method, String path, String body) throws Exception {
        return send(on, method, path, body, "Authorization", "Bearer " + on.token);
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static JsonNode await(String what, int seconds, RuntimeProcess on, String path, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = JSON.readTree(on.awaitHttp(path, 5));
            if (condition.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; " + path + ": " + last);
    }

    /** What /ws/audio sent, by sequence number, with the config of each buffer. */
    private static final class Stream implements AutoCloseable {
        final WsClient client;
        final Map<Long, short[]> samples = new HashMap<>();

        Stream(RuntimeProcess on) {
            client = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + on.port + "/ws/audio?header=1&token=" + on.token));
        }

        /** Takes in every buffer received so far. */
        Stream drain() {
            for (WsClient.Message m; (m = client.messages.poll()) != null; ) {
                if (m.isText()) continue;
                ByteBuffer bytes = ByteBuffer.wrap(m.binary()).order(ByteOrder.LITTLE_ENDIAN);
                short[] s = new short[(m.binary().length - 24) / 2];
                bytes.position(24);
                bytes.asShortBuffer().get(s);
                samples.put(m.sequence(), s);
            }
            return this;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The samples of a WAV file as javax.sound reads them, checking its format. */
    private static short[] readWav(byte[] file, int rate, int channels) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(file))) {
            AudioFormat format = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, format.getEncoding());
            assertEquals(16, format.getSampleSizeInBits());
            assertEquals(channels, format.getChannels());
            assertEquals(rate, format.getSampleRate(), 0);
            assertFalse(format.isBigEndian());
            byte[] bytes = in.readAllBytes();
            assertEquals("the header's size and the audio agree", in.getFrameLength() * channels * 2, bytes.length);
            short[] samples = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
            return samples;
        }
    }

    /**
     * Checks that {@code wav} is, frame for frame, the buffers the stream sent from {@code firstSequence} on.
     * Buffers from {@code received} samples on may not have reached the client before the runtime was killed.
     */
    private static void assertSamplesAreTheStreams(short[] wav, Stream stream, long firstSequence, int bufferSamples, long received) {
        stream.drain();
        for (int at = 0, buffer = 0; at < wav.length; at += bufferSamples, buffer++) {
            short[] sent = stream.samples.get(firstSequence + buffer);
            if (sent == null && at >= received) continue;
            assertTrue("buffer " + (firstSequence + buffer) + " was not received on /ws/audio", sent != null);
            int n = Math.min(bufferSamples, wav.length - at);
            assertArrayEquals("buffer " + (firstSequence + buffer), Arrays.copyOf(sent, n), Arrays.copyOfRange(wav, at, at + n));
        }
    }

    @Test
    public void aRecordingMadeOverRestHoldsExactlyTheSamplesPublished() throws Exception {
        try (Stream stream = new Stream(runtime)) {
            HttpResponse<byte[]> started = withToken(runtime, "POST", "/api/recordings", "{\"name\":\"rest-take\",\"seconds\":2}");
            assertEquals(new String(started.body()), 201, started.statusCode());
            assertEquals("/api/recordings/rest-take", started.headers().firstValue("Location").orElse(null));
            assertEquals("recording", json(started).path("state").asText());

            assertEquals(409, withToken(runtime, "POST", "/api/recordings", "{\"name\":\"rest-take\"}").statusCode());
            assertEquals("changes need the token", 401, send(runtime, "POST", "/api/recordings", "{\"name\":\"x\"}").statusCode());

            JsonNode done = await("the recording done", 20, runtime, "/api/recordings/rest-take", r -> r.path("state").asText().equals("done"));
            assertEquals(2.0, done.path("seconds").asDouble(), 1e-9);
            assertEquals(0, done.path("gaps").asLong());

            JsonNode sidecar = json(send(runtime, "GET", "/api/recordings/rest-take.json", null));
            int rate = sidecar.at("/parts/0/config/rate").asInt(), channels = sidecar.at("/parts/0/config/channels").asInt();
            int bufferFrames = sidecar.at("/parts/0/config/buffer_frames").asInt();
            assertEquals(done.at("/format/rate").asInt(), rate);
            assertEquals(0, sidecar.path("lost_buffers").asLong());
            assertTrue(sidecar.path("first_frame_capture").asText(), sidecar.path("first_frame_capture").asText().startsWith("20"));

            HttpResponse<byte[]> wav = send(runtime, "GET", "/api/recordings/rest-take.wav", null);
            assertEquals(200, wav.statusCode());
            assertEquals("audio/wav", wav.headers().firstValue("Content-Type").orElse(null));
            short[] samples = readWav(wav.body(), rate, channels);
            assertEquals(2 * rate * channels, samples.length);
            assertSamplesAreTheStreams(samples, stream, sidecar.path("first_sequence").asLong(), bufferFrames * channels, samples.length);

            HttpResponse<byte[]> range = send(runtime, "GET", "/api/recordings/rest-take.wav", null, "Range", "bytes=44-1043");
            assertEquals(206, range.statusCode());
            assertEquals("bytes 44-1043/" + wav.body().length, range.headers().firstValue("Content-Range").orElse(null));
            assertArrayEquals(Arrays.copyOfRange(wav.body(), 44, 1044), range.body());
            HttpResponse<byte[]> tail = send(runtime, "GET", "/api/recordings/rest-take.wav", null, "Range", "bytes=-10");
            assertArrayEquals(Arrays.copyOfRange(wav.body(), wav.body().length - 10, wav.body().length), tail.body());
            assertEquals(416, send(runtime, "GET", "/api/recordings/rest-take.wav", null, "Range", "bytes=999999999-").statusCode());

            JsonNode list = json(send(runtime, "GET", "/api/recordings", null));
            assertEquals("rest-take", list.at("/recordings/0/name").asText());
            assertEquals(wav.body().length, list.at("/recordings/0/bytes").asLong());

            HttpResponse<byte[]> deleted = withToken(runtime, "DELETE", "/api/recordings/rest-take", null);
            assertEquals(new String(deleted.body()), 200, deleted.statusCode());
            assertEquals(404, send(runtime, "GET", "/api/recordings/rest-take.wav", null).statusCode());
        }
    }

    @Test
    public void badNamesAreRefusedWithTheReason() throws Exception {
        HttpResponse<byte[]> slash = withToken(runtime, "POST", "/api/recordings", "{\"name\":\"../token\"}");
        assertEquals(400, slash.statusCode());
        assertTrue(json(slash).path("error").asText(), json(slash).path("error").asText().contains("path separator"));
        HttpResponse<byte[]> space = withToken(runtime, "POST", "/api/recordings", "{\"name\":\"my take\"}");
        assertEquals(400, space.statusCode());
        assertTrue(json(space).path("error").asText().contains("allowed: 1 to 64 of letters"));
        assertEquals(400, withToken(runtime, "POST", "/api/recordings", "{\"name\":\"x\",\"secs\":3}").statusCode());
        assertEquals(400, withToken(runtime, "POST", "/api/recordings", "{\"name\":\"x\",\"seconds\":-1}").statusCode());
        assertEquals(400, withToken(runtime, "POST", "/api/recordings", "not json").statusCode());
        assertEquals(400, send(runtime, "GET", "/api/recordings/..%2Ftoken.wav", null).statusCode());
        assertEquals(404, withToken(runtime, "POST", "/api/recordings/nobody/stop", null).statusCode());
        assertEquals(404, send(runtime, "GET", "/api/recordings/nobody.json", null).statusCode());
    }

    @Test
    public void aConfigChangeMidRecordingGivesTwoValidParts() throws Exception {
        assertEquals(201, withToken(runtime, "POST", "/api/recordings", "{\"name\":\"moved\"}").statusCode());
        await("audio in the first part", 20, runtime, "/api/recordings/moved", r -> r.path("seconds").asDouble() > 0.5);
        WsClient config = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/config?token=" + TOKEN));
        try {
            assertTrue(config.ask("{\"channels\":4,\"rate\":16000}").contains("\"ok\":true"));
            await("audio in the second part", 20, runtime, "/api/recordings/moved",
                    r -> r.path("files").size() == 2 && r.at("/files/1/seconds").asDouble() > 0.5);
            assertEquals(200, withToken(runtime, "POST", "/api/recordings/moved/stop", null).statusCode());
        } finally {
            config.ask("{\"channels\":6,\"rate\":48000}");
            config.close();
        }
        JsonNode sidecar = json(send(runtime, "GET", "/api/recordings/moved.json", null));
        assertEquals("stopped", sidecar.path("state").asText());
        assertEquals(2, sidecar.path("parts").size());
        short[] first = readWav(send(runtime, "GET", "/api/recordings/moved.wav", null).body(), 48000, 6);
        short[] second = readWav(send(runtime, "GET", "/api/recordings/moved-002.wav", null).body(), 16000, 4);
        assertEquals(sidecar.at("/parts/0/frames").asLong() * 6, first.length);
        assertEquals(sidecar.at("/parts/1/frames").asLong() * 4, second.length);
    }

    @Test
    public void aReadOnlyFolderGivesAClearStatusAndTheStreamRuns() throws Exception {
        Path folder = Files.createDirectories(runtime.home.resolve("data/recordings"));
        boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim());
        if (root) {
            // permissions do not stop root; the immutable attribute does
            assumeTrue("chattr +i not possible here", new ProcessBuilder("chattr", "+i", folder.toString()).start().waitFor() == 0);
        } else {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try (Stream stream = new Stream(runtime)) {
            HttpResponse<byte[]> refused = withToken(runtime, "POST", "/api/recordings", "{\"name\":\"nowhere\"}");
            assertEquals(new String(refused.body()), 507, refused.statusCode());
            assertTrue(json(refused).path("error").asText(), json(refused).path("error").asText().contains("cannot record into"));
            JsonNode status = JSON.readTree(runtime.awaitHttp("/api/status", 5));
            assertEquals(folder + " is not writable; recordings cannot start", status.at("/recordings/folder_problem").asText());
            assertTrue(status.at("/recordings/errors").toString(), status.at("/recordings/errors/0/error").asText().contains("cannot record into"));
            assertEquals("running", status.at("/stream/capture/state").asText());
            long before = stream.client.nextBinary().sequence();
            assertTrue("the stream goes on", stream.client.nextBinary().sequence() > before);
        } finally {
            if (root) new ProcessBuilder("chattr", "-i", folder.toString()).start().waitFor();
            else Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    public void aRuntimeKilledMidRecordingLeavesAFileTheNextStartRepairs() throws Exception {
        RuntimeProcess killed = RuntimeProcess.start(TOKEN);
        RuntimeProcess restarted = null;
        Path file = killed.home.resolve("data/recordings/crash.wav");
        try (Stream stream = new Stream(killed)) {
            assertEquals(201, withToken(killed, "POST", "/api/recordings", "{\"name\":\"crash\"}").statusCode());
            await("3 s recorded", 30, killed, "/api/recordings/crash", r -> r.path("seconds").asDouble() > 3);
            killed.kill();
            stream.drain();
            long written = Files.size(file) - 44;
            ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file), 0, 44).order(ByteOrder.LITTLE_ENDIAN);
            long declared = Integer.toUnsignedLong(header.getInt(40));
            assertTrue("the header was brought up to date while recording: " + declared, declared > 0);
            assertTrue(declared <= written);

            restarted = killed.restart();
            JsonNode status = await("the repair reported", 10, restarted, "/api/status", s -> s.at("/recordings/repaired").size() > 0);
            JsonNode repair = status.at("/recordings/repaired/0");
            assertEquals("crash.wav", repair.path("file").asText());
            assertEquals(declared, repair.path("header_said_bytes").asLong());
            assertTrue(Files.readString(killed.home.resolve("earshot.log")).contains("Repaired " + file));

            JsonNode sidecar = json(send(restarted, "GET", "/api/recordings/crash.json", null));
            assertEquals("interrupted", sidecar.path("state").asText());
            int channels = sidecar.at("/parts/0/config/channels").asInt();
            int bufferFrames = sidecar.at("/parts/0/config/buffer_frames").asInt();
            short[] samples = readWav(send(restarted, "GET", "/api/recordings/crash.wav", null).body(),
                    sidecar.at("/parts/0/config/rate").asInt(), channels);
            assertTrue("every sample up to the last flush: " + samples.length * 2 + " bytes, " + declared + " synced",
                    samples.length * 2L >= declared);
            assertEquals(sidecar.at("/parts/0/frames").asLong() * channels, samples.length);
            // what was synced before the kill had long reached the client too
            assertSamplesAreTheStreams(samples, stream, sidecar.path("first_sequence").asLong(), bufferFrames * channels, declared / 2);
            assertEquals("interrupted", json(send(restarted, "GET", "/api/recordings/crash", null)).path("state").asText());
        } finally {
            if (restarted != null) restarted.close();
            killed.close();
        }
    }
}
