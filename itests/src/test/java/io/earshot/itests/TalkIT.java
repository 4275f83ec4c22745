package io.earshot.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Talk (issue 16): scripted clients push S16LE mono PCM over /ws/ingest to a runtime started
 * with bin/earshot, as any program may (the page is one such client). A known signal under a
 * hostile name becomes a file of a safe name holding exactly those samples, and with the hub on
 * the browser source a /ws/audio client hears them; bad names give safe files; bad messages and
 * the limits close the talk with a reason, leave a file of the samples before, and never stall
 * the stream.
 */
public class TalkIT {

    private static final String TOKEN = "talk-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** What the recordings folder takes (RecordingNames), with the talk's prefix. */
    private static final String SAFE_FILE = "talk-[A-Za-z0-9][A-Za-z0-9_-]{0,58}\\.wav";
    private static RuntimeProcess runtime;

    @BeforeClass
    public static void start() throws Exception {
        runtime = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.ingest.browser.cfg",
                "maxTalkers = 3\nmaxTalkSeconds = 3\nmaxMessageBytes = 65536\nidleSeconds = 10\n"));
        switchToBrowser(runtime);
    }

    /** The hub on the browser source (once its bundle is up: it starts after the stream), 16 kHz mono. */
    static void switchToBrowser(RuntimeProcess runtime) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!JSON.readTree(runtime.awaitHttp("/api/source", 5)).path("available").toString().contains("\"browser\"")) {
            if (System.nanoTime() > deadline) throw new AssertionError("no browser source: " + runtime.awaitHttp("/api/source", 5));
            Thread.sleep(200);
        }
        HttpResponse<String> switched = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url("/api/source")))
                .header("Authorization", "Bearer " + runtime.token).POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"browser\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(switched.body(), 200, switched.statusCode());
        awaitOn(runtime, "the stream on the browser source, 16 kHz mono", 20, "/api/status",
                s -> s.at("/stream/source/id").asText().equals("browser") && s.at("/stream/config/rate").asInt() == 16000
                        && s.at("/stream/config/channels").asInt() == 1 && s.at("/stream/capture/state").asText().equals("running"));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (runtime != null) runtime.close();
    }

    private static JsonNode await(String what, int seconds, String path, Predicate<JsonNode> condition) throws Exception {
        return awaitOn(runtime, what, seconds, path, condition);
    }

    private static JsonNode awaitOn(RuntimeProcess runtime, String what, int seconds, String path, Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = JSON.readTree(runtime.awaitHttp(path, 5));
            if (condition.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; " + path + ": " + last);
    }

    private static JsonNode recording(String name, String state) throws Exception {
        return await(name + " " + state, 15, "/api/recordings/" + name, r -> r.path("state").asText().equals(state));
    }

    static URI ingest(RuntimeProcess on, String name, String rate) {
        String query = (name == null ? "" : "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&")
                + (rate == null ? "" : "rate=" + rate + "&") + "token=" + on.token;
        return URI.create("ws://127.0.0.1:" + on.port + "/ws/ingest?" + query);
    }

    /** A talk's connection: its ready message read. */
    private static final class Talker {
        final WsClient client;
        final JsonNode ready;

        Talker(String name, String rate) throws Exception {
            client = WsClient.connect(HTTP, ingest(runtime, name, rate));
            ready = JSON.readTree(client.nextText());
        }

        String recording() {
            return ready.path("recording").asText();
        }

        void send(short[] samples, int from, int to) {
            ByteBuffer bytes = ByteBuffer.allocate((to - from) * 2).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asShortBuffer().put(samples, from, to - from);
            // the JDK's client masks eight bytes at a time in the buffer's byte order: a
            // little-endian buffer would go out with every eight bytes reversed
            client.socket.sendBinary(bytes.order(ByteOrder.BIG_ENDIAN), true).join();
        }

        /** Sends {@code samples} in messages of 100 ms. */
        void sendAll(short[] samples) {
            for (int at = 0; at < samples.length; at += 1600) send(samples, at, Math.min(samples.length, at + 1600));
        }

        /** The error message and the close the server ended the talk with. */
        String refusal() throws Exception {
            JsonNode error = JSON.readTree(client.nextText());
            assertEquals(error.toString(), "error", error.path("type").asText());
            return error.path("error").asText() + " | " + client.closed.get(10, TimeUnit.SECONDS);
        }
    }

    /** A signal no stretch of silence or of another talk looks like: pseudo-random, never 0. */
    static short[] signal(int samples, long seed) {
        short[] out = new short[samples];
        long x = seed;
        for (int i = 0; i < samples; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            int v = (int) (x >>> 49) - 16384; // -16384..16383
            out[i] = (short) (v == 0 ? 1 : v);
        }
        return out;
    }

    private static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url(path))).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(path, 200, response.statusCode());
        return response.body();
    }

    /** The samples of a WAV file the recorder wrote (44-byte header), checking its format. */
    static short[] wavSamples(byte[] file, int rate) {
        ByteBuffer bytes = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(file, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(1, bytes.getShort(22));
        assertEquals(rate, bytes.getInt(24));
        assertEquals(16, bytes.getShort(34));
        assertEquals(file.length - 44, bytes.getInt(40));
        short[] samples = new short[(file.length - 44) / 2];
        bytes.position(44);
        bytes.asShortBuffer().get(samples);
        return samples;
    }

    @Test
    public void aTalkUnderAHostileNameIsSavedSampleForSampleAndHeardOnTheBrowserSource() throws Exception {
        WsClient audio = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1&token=" + TOKEN));
        short[] signal = signal(24000, 42); // 1.5 s at 16 kHz
        Talker talker = new Talker("../../etc/passwd\u0000\r\nMallory 🎤", "16000");
        assertEquals("ready", talker.ready.path("type").asText());
        assertTrue(talker.ready.toString(), talker.ready.path("heard").asBoolean());
        String file = talker.ready.path("file").asText();
        assertTrue(file, file.matches(SAFE_FILE));
        assertTrue(file, file.startsWith("talk-etc-passwd-Mallory-"));
        talker.sendAll(signal); // faster than real time: the source plays it out at its pace
        talker.client.close();

        JsonNode listed = recording(talker.recording(), "done");
        assertEquals("talk", listed.path("origin").asText());
        assertEquals("../../etc/passwd\r\nMallory 🎤".replaceAll("[\\r\\n]", ""), listed.at("/details/talker").asText());
        assertEquals(1.5, listed.path("seconds").asDouble(), 1e-9);
        assertArrayEquals(signal, wavSamples(get("/api/recordings/" + file), 16000));
        assertTrue("the file is in the recordings folder", Files.isRegularFile(runtime.home.resolve("data/recordings").resolve(file)));
        assertFalse(Files.exists(runtime.home.resolve("etc")));

        // what /ws/audio sent: mono S16LE after the 24-byte header; the signal must be in it, whole
        List<Short> heard = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int at = -1;
        while (System.nanoTime() < deadline && (at < 0 || heard.size() < at + signal.length)) {
            WsClient.Message m = audio.nextBinary();
            ByteBuffer bytes = ByteBuffer.wrap(m.binary()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 24; i < m.binary().length; i += 2) heard.add(bytes.getShort(i));
            if (at < 0) at = heard.indexOf(signal[0]);
        }
        audio.close();
        assertTrue("the signal's first sample never came on /ws/audio", at >= 0);
        short[] got = new short[signal.length];
        for (int i = 0; i < signal.length && at + i < heard.size(); i++) got[i] = heard.get(at + i);
        assertArrayEquals("the browser source carried the talk sample for sample", signal, got);
        for (int i = 0; i < at; i++) assertEquals("silence before the talk", 0, (short) heard.get(i));
    }

    @Test
    public void hostileNamesGiveSafeFileNamesInTheRecordingsFolder() throws Exception {
        List<String> names = List.of("..", "../../../../tmp/x", "a\u0000b\u0007c\u001b[31m", "C:\\Windows\\System32", "x".repeat(10_000),
                "日本語 の 名前", "🎤🎤🎤", "<script>alert(1)</script>", "CON", "-", "talk-a-002", "\u202eevil\u202c");
        Path folder = runtime.home.resolve("data/recordings");
        for (String name : names) {
            Talker talker = new Talker(name, null);
            assertEquals(name.length() > 40 ? name.substring(0, 40) : name, "ready", talker.ready.path("type").asText());
            String file = talker.ready.path("file").asText();
            assertTrue(file, file.matches(SAFE_FILE));
            assertEquals(16000, talker.ready.path("rate").asInt()); // the default
            talker.send(signal(160, name.hashCode()), 0, 160);
            talker.client.close();
            JsonNode listed = recording(talker.recording(), "done");
            assertTrue(listed.at("/details/talker").asText(), listed.at("/details/talker").asText().codePoints()
                    .noneMatch(c -> Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT));
            assertTrue(listed.at("/details/talker").asText().codePointCount(0, listed.at("/details/talker").asText().length()) <= 201);
            assertTrue(Files.isRegularFile(folder.resolve(file)));
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("talk-"))
                    .forEach(f -> assertTrue(f, f.matches(SAFE_FILE) || f.matches("talk-[A-Za-z0-9_-]+\\.json")));
        }
        assertFalse(Files.exists(Path.of("/tmp/x.wav")));
    }

    @Test
    public void badMessagesAndTheLimitsEndTheTalkWithAReasonAndTheStreamGoesOn() throws Exception {
        WsClient audio = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1&token=" + TOKEN));
        long firstSequence = audio.nextBinary().sequence();
        short[] before = signal(320, 7);

        Talker odd = new Talker("odd", "16000");
        odd.send(before, 0, 320);
        odd.client.socket.sendBinary(ByteBuffer.wrap(new byte[101]), true).join();
        String why = odd.refusal();
        assertTrue(why, why.contains("even number of bytes") && why.contains("1007"));
        JsonNode listed = recording(odd.recording(), "stopped");
        assertTrue(listed.toString(), listed.path("error").asText().contains("even number of bytes"));
        assertArrayEquals("the file holds the samples before the odd message, nothing of it", before,
                wavSamples(get("/api/recordings/" + odd.recording() + ".wav"), 16000));

        Talker text = new Talker("text", "16000");
        text.send(before, 0, 320);
        text.client.send("{\"samples\":[1,2,3]}");
        why = text.refusal();
        assertTrue(why, why.contains("binary messages") && why.contains("1003"));
        assertArrayEquals(before, wavSamples(get("/api/recordings/" + text.recording() + ".wav"), 16000));

        Talker big = new Talker("big", "16000");
        big.send(before, 0, 320);
        big.client.socket.sendBinary(ByteBuffer.allocate(70_000), true);
        String closed = big.client.closed.get(10, TimeUnit.SECONDS);
        assertTrue(closed, closed.startsWith("1009"));
        listed = recording(big.recording(), "stopped");
        assertTrue(listed.toString(), listed.path("error").asText().contains("at most 65536 bytes"));
        assertArrayEquals(before, wavSamples(get("/api/recordings/" + big.recording() + ".wav"), 16000));

        for (String rate : new String[] {"44100", "8000", "16k", "-1"}) {
            Talker wrong = new Talker("rate", rate);
            assertEquals("error", wrong.ready.path("type").asText());
            assertTrue(wrong.ready.toString(), wrong.ready.path("error").asText().contains("is not offered; offered: 16000"));
            assertTrue(wrong.client.closed.get(10, TimeUnit.SECONDS).startsWith("1008"));
        }
        for (String blank : new String[] {null, "", "  "}) {
            Talker nameless = new Talker(blank, "16000");
            assertTrue(nameless.ready.toString(), nameless.ready.path("error").asText().contains("a talk needs a name"));
        }

        List<Talker> three = List.of(new Talker("one", "16000"), new Talker("two", "16000"), new Talker("three", "16000"));
        Talker fourth = new Talker("four", "16000");
        assertTrue(fourth.ready.toString(), fourth.ready.path("error").asText().contains("3 talk at once, the most"));
        assertTrue(fourth.client.closed.get(10, TimeUnit.SECONDS).startsWith("1013"));
        three.forEach(t -> t.client.close());
        await("the three talks over", 10, "/api/status", s -> s.at("/talks/talking").size() == 0);

        Talker longTalk = new Talker("long", "48000");
        assertTrue("a talk at 48 kHz is heard, resampled, in the source at 16 kHz", longTalk.ready.path("heard").asBoolean());
        assertEquals(16000, longTalk.ready.path("source_rate").asInt());
        short[] fourSeconds = signal(4 * 48000, 9);
        for (int at = 0; at < fourSeconds.length && !longTalk.client.closed.isDone(); at += 4800) {
            longTalk.send(fourSeconds, at, at + 4800);
        }
        why = longTalk.refusal();
        assertTrue(why, why.contains("a talk lasts at most 3 s") && why.contains("1008"));
        listed = recording(longTalk.recording(), "stopped");
        assertEquals(3.0, listed.path("seconds").asDouble(), 1e-9);
        assertArrayEquals(Arrays.copyOf(fourSeconds, 3 * 48000), wavSamples(get("/api/recordings/" + longTalk.recording() + ".wav"), 48000));

        try {
            WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/ingest?name=x"));
            throw new AssertionError("a talk without the token was accepted");
        } catch (CompletionException e) {
            assertTrue(e.toString(), e.getCause() instanceof WebSocketHandshakeException);
            assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
        }

        // the stream went on meanwhile and after: buffers kept coming, every one of them
        long last = firstSequence;
        for (int more = 0; more < 8 || !audio.messages.isEmpty(); more++) {
            WsClient.Message m = audio.nextBinary();
            assertEquals("no buffer lost on /ws/audio", last + 1, m.sequence());
            last = m.sequence();
        }
        audio.close();
        JsonNode status = JSON.readTree(runtime.awaitHttp("/api/status", 5));
        assertEquals("running", status.at("/stream/capture/state").asText());
        assertTrue("buffers kept coming while talks were refused: " + (last - firstSequence), last - firstSequence >= 8);
        JsonNode refused = status.at("/talks/refused");
        for (String kind : new String[] {"odd_bytes", "rate", "name", "too_many", "too_long", "too_big"}) {
            assertTrue(refused.toString(), refused.path(kind).asLong() >= 1);
        }
    }

    /** Amplitude of {@code hz} in {@code x} at {@code rate}. */
    private static double amplitude(short[] x, double hz, int rate) {
        double re = 0, im = 0;
        for (int i = 0; i < x.length; i++) {
            re += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
            im += x[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(re, im) / x.length;
    }

    @Test
    public void aTalkAt48kHzIsHeardResampledInThe16kHzSourceAndSavedAt48kHz() throws Exception {
        WsClient audio = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1&token=" + TOKEN));
        for (int quiet = 0; quiet < 4; ) { // what other talks left to play out is over
            WsClient.Message m = audio.nextBinary();
            boolean silent = true;
            for (int i = 24; i < m.binary().length; i++) silent &= m.binary()[i] == 0;
            quiet = silent ? quiet + 1 : 0;
        }
        short[] tone = new short[48000];
        for (int i = 0; i < tone.length; i++) tone[i] = (short) Math.round(10000 * Math.sin(2 * Math.PI * 1000 * i / 48000.0));
        Talker talker = new Talker("wide", "48000");
        talker.sendAll(tone);
        talker.client.close();
        assertArrayEquals("the file keeps the talk's own rate and samples", tone,
                wavSamples(get("/api/recordings/" + recording(talker.recording(), "done").path("name").asText() + ".wav"), 48000));
        List<Short> heard = new ArrayList<>();
        boolean started = false;
        for (int buffers = 0; buffers < 40 && (!started || heard.size() < 16000 + 4096); buffers++) {
            WsClient.Message m = audio.nextBinary();
            ByteBuffer bytes = ByteBuffer.wrap(m.binary()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 24; i < m.binary().length; i += 2) {
                short v = bytes.getShort(i);
                started |= v != 0;
                if (started) heard.add(v);
            }
        }
        audio.close();
        short[] middle = new short[8000]; // half a second from the middle of the second heard
        for (int i = 0; i < middle.length; i++) middle[i] = heard.get(4000 + i);
        assertEquals("a 1 kHz tone of 10000 at 48 kHz is one of 10000 at 16 kHz", 10000, amplitude(middle, 1000, 16000), 500);
        assertTrue("nothing else in it", amplitude(middle, 3000, 16000) < 200 && amplitude(middle, 5000, 16000) < 200);
    }
}
