package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.device.client.DeviceClient;
import io.earshot.devices.v1.AudioPacket;
import io.earshot.devices.v1.LedFrame;
import io.earshot.devices.v1.ServerMessage;
import io.earshot.devices.v1.AudioRequest;
import io.earshot.devices.v1.DevicesGrpc;
import io.earshot.devices.v1.LiveSource;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Devices over gRPC against the runtime started with bin/earshot: simulated devices (the
 * reference client, and bin/earshot-device itself for the Ogg Opus file) connect with their
 * keys, get the connect flash and LED frames, press buttons, play clips and the live stream.
 */
public class DevicesIT {

    private static final String TOKEN = "devices-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int RATE = 48000;
    private static RuntimeProcess runtime;
    private static int grpcPort;
    private static short[] tone;

    @BeforeClass
    public static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            grpcPort = socket.getLocalPort();
        }
        StringBuilder keys = new StringBuilder();
        for (String id : List.of("viewed", "flash-a", "flash-b", "burst", "paced", "clip", "transport", "leaver", "stopper", "reader", "beam")) {
            keys.append(keys.length() == 0 ? "" : ",").append(id).append(":key-").append(id);
        }
        runtime = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.devices.cfg",
                "enabled=true\nport=" + grpcPort + "\nkeys=" + keys + "\nstallSeconds=2\n"));
        // the devices start with the last bundles (start level 95)
        JsonNode devices = JSON.readTree(runtime.awaitHttp("/api/status", 10)).path("devices");
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); !devices.path("serving").asBoolean() && System.nanoTime() < until; ) {
            Thread.sleep(200);
            devices = JSON.readTree(runtime.awaitHttp("/api/status", 10)).path("devices");
        }
        assertEquals(grpcPort, devices.path("port").asInt());
        assertTrue("serving: " + devices, devices.path("serving").asBoolean());
        tone = tones(2.0);
        assertEquals(201, upload("tone", wav(tone, RATE)).statusCode());
        assertEquals(201, upload("long", wav(tones(8.0), RATE)).statusCode());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (runtime != null) runtime.close();
    }

    /** 440, 1000 and 2500 Hz at -12 dBFS together: what Opus keeps close to the waveform. */
    private static short[] tones(double seconds) {
        short[] s = new short[(int) (seconds * RATE)];
        for (int i = 0; i < s.length; i++) {
            double t = i / (double) RATE;
            s[i] = (short) (8000 * (Math.sin(2 * Math.PI * 440 * t) + 0.6 * Math.sin(2 * Math.PI * 1000 * t) + 0.4 * Math.sin(2 * Math.PI * 2500 * t)) / 2);
        }
        return s;
    }

    static byte[] wav(short[] samples, int rate) {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples.length * 2).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples.length * 2);
        for (short v : samples) b.putShort(v);
        return b.array();
    }

    private static HttpResponse<String> upload(String name, byte[] wav) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url("/api/devices/clips/" + name)))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url(path))).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode device(String id) throws Exception {
        for (JsonNode d : JSON.readTree(runtime.awaitHttp("/api/status", 5)).path("devices").path("devices")) {
            if (d.path("id").asText().equals(id)) return d;
        }
        return null;
    }

    private static JsonNode await(String what, int seconds, String id, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = device(id);
            if (last != null && condition.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; device " + id + ": " + last);
    }

    private static DeviceClient connect(String id) throws Exception {
        return new DeviceClient("127.0.0.1", grpcPort, id, "key-" + id, 12, 2, 1, null);
    }

    /** The next message of a kind, skipping the others. */
    private static ServerMessage next(DeviceClient device, Predicate<ServerMessage> kind, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            ServerMessage m = device.next(100, TimeUnit.MILLISECONDS);
            if (m != null && kind.test(m)) return m;
        }
        throw new AssertionError("nothing of that kind came in " + seconds + " s" + (device.ended() == null ? "" : "; ended: " + device.ended()));
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** A packet with the time it arrived. */
    private record Arrival(AudioPacket packet, long receivedMicros) {
    }

    @Test
    public void twoDevicesGetTheConnectFlashAndThenTheirLedFrames() throws Exception {
        try (DeviceClient a = connect("flash-a"); DeviceClient b = connect("flash-b")) {
            for (DeviceClient d : List.of(a, b)) {
                ServerMessage hello = d.next(5, TimeUnit.SECONDS);
                assertNotNull("no answer to the hello", hello);
                assertTrue("the first answer is the hello reply: " + hello, hello.hasHello());
                LedFrame flash = next(d, ServerMessage::hasLeds, 5).getLeds();
                assertTrue(flash.getFlash());
                assertEquals(12, flash.getRgbCount());
                assertTrue(flash.getRgbList().stream().allMatch(v -> v == 0xFFFFFF));
                LedFrame after = next(d, m -> m.hasLeds() && !m.getLeds().getFlash(), 5).getLeds();
                assertEquals(12, after.getRgbCount());
                // the simulated array is loud enough for the level meter to light some
                LedFrame lit = next(d, m -> m.hasLeds() && m.getLeds().getRgbList().stream().anyMatch(v -> v != 0), 5).getLeds();
                assertFalse(lit.getFlash());
            }
            assertTrue(device("flash-a").path("online").asBoolean());
            assertTrue(device("flash-b").path("online").asBoolean());
        }
    }

    @Test
    public void aThousandRapidButtonEventsAreAnsweredInOrderWhileAnotherDevicesAudioKeepsItsPace() throws Exception {
        try (DeviceClient burst = connect("burst"); DeviceClient paced = connect("paced")) {
            next(burst, ServerMessage::hasHello, 5);
            next(paced, ServerMessage::hasHello, 5);
            List<Arrival> arrivals = new CopyOnWriteArrayList<>();
            DeviceClient.Audio audio = paced.queue(p -> arrivals.add(new Arrival(p, nowMicros())));
            assertEquals(200, post("/api/devices/paced/play", "{\"clip\":\"long\"}").statusCode());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (arrivals.size() < 50 && System.nanoTime() < until) Thread.sleep(20);
            int before = arrivals.size();
            for (int i = 0; i < 1000; i++) burst.button(i, 2, true);
            List<String> actions = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                ServerMessage m = next(burst, ServerMessage::hasButton, 20);
                assertEquals("responses in order", i, m.getButton().getSequence());
                actions.add(m.getButton().getAction());
            }
            assertEquals(List.of("mode:direction", "mode:off", "mode:level", "mode:direction"), actions.subList(0, 4));
            long answeredAt = System.nanoTime();
            while (arrivals.size() < before + 100 && System.nanoTime() - answeredAt < TimeUnit.SECONDS.toNanos(3)) Thread.sleep(20);
            audio.cancel();
            // past the first few (the 40 ms lead sends them at once), each packet leaves at its
            // media time plus one constant: the spread of that difference is the pacing's error
            List<Arrival> steady = arrivals.subList(5, arrivals.size());
            long min = Long.MAX_VALUE, max = Long.MIN_VALUE, sentMin = Long.MAX_VALUE, sentMax = Long.MIN_VALUE;
            for (Arrival a : steady) {
                long offset = a.receivedMicros - a.packet.getMediaTimeUs();
                min = Math.min(min, offset);
                max = Math.max(max, offset);
                long sent = a.packet.getSentTimeUs() - a.packet.getMediaTimeUs();
                sentMin = Math.min(sentMin, sent);
                sentMax = Math.max(sentMax, sent);
            }
            long[] late = new long[steady.size()];
            for (int i = 0; i < late.length; i++) late[i] = steady.get(i).packet.getSentTimeUs() - steady.get(i).packet.getMediaTimeUs() - sentMin;
            java.util.Arrays.sort(late);
            System.out.printf("DevicesIT: %d packets during and after 1000 button events, spread of arrival %.1f ms, of sending %.1f ms"
                    + " (median %.1f, 95%% %.1f)%n", steady.size(), (max - min) / 1000.0, (sentMax - sentMin) / 1000.0,
                    late[late.length / 2] / 1000.0, late[late.length * 95 / 100] / 1000.0);
            assertTrue("packets arrived while the other device pressed: " + arrivals.size(), arrivals.size() > before + 50);
            // the runtime's pacing: when it sent each packet against the packet's time. (The arrival
            // spread adds this test JVM's own scheduling, which presses the buttons on two cores.)
            assertTrue("packets sent within 40 ms of their time: spread " + (sentMax - sentMin) / 1000.0 + " ms", sentMax - sentMin <= 40_000);
            for (int i = 1; i < arrivals.size(); i++) {
                assertEquals("no packet lost", arrivals.get(i - 1).packet.getSequence() + 1, arrivals.get(i).packet.getSequence());
            }
            assertEquals(1000, device("burst").path("buttons_answered").asLong());
        }
    }

    /** The decoded signal against the original, at the delay that matches best; in dB. */
    private static double snr(short[] original, short[] decoded) {
        double best = Double.NEGATIVE_INFINITY;
        int length = original.length - 2000;
        for (int delay = -400; delay <= 1000; delay++) {
            double signal = 0, noise = 0;
            for (int i = 1000; i < length; i++) {
                int j = i + delay;
                double y = j >= 0 && j < decoded.length ? decoded[j] : 0;
                signal += (double) original[i] * original[i];
                noise += (original[i] - y) * (original[i] - y);
            }
            best = Math.max(best, 10 * Math.log10(signal / Math.max(noise, 1)));
        }
        return best;
    }

    private static short[] wavSamples(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (true) {
            String id = new String(b.array(), pos, 4);
            int size = b.getInt(pos + 4);
            if (id.equals("fmt ")) assertEquals(RATE, b.getInt(pos + 12));
            if (id.equals("data")) {
                int bytes = Math.min(size < 0 ? Integer.MAX_VALUE : size, b.capacity() - pos - 8);
                short[] s = new short[bytes / 2];
                b.position(pos + 8);
                b.asShortBuffer().get(s);
                return s;
            }
            pos += 8 + size + (size & 1);
        }
    }

    @Test
    public void aClipPlayedToADeviceDecodesBackToTheOriginalThroughTheDecoderAndThroughOpusdec() throws Exception {
        boolean opusdec = new File("/usr/bin/opusdec").canExecute();
        if (!opusdec && "true".equals(System.getenv("CI"))) throw new AssertionError("opusdec is not installed; .ci/run installs opus-tools");
        Path wav = runtime.home.resolve("clip.wav");
        Path opus = runtime.home.resolve("clip.opus");
        Process device = new ProcessBuilder(runtime.home.resolve("bin/earshot-device").toString(), "127.0.0.1:" + grpcPort,
                "--id", "clip", "--key", "key-clip", "--mono", "--wav", wav.toString(), "--opus", opus.toString(), "--seconds", "6")
                .redirectErrorStream(true).redirectOutput(runtime.home.resolve("device-clip.log").toFile()).start();
        await("the device online", 20, "clip", d -> d.path("online").asBoolean() && d.path("transport").path("listening").asBoolean());
        assertEquals(200, post("/api/devices/clip/play", "{\"clip\":\"tone\"}").statusCode());
        assertTrue("bin/earshot-device ended", device.waitFor(30, TimeUnit.SECONDS));
        String log = Files.readString(runtime.home.resolve("device-clip.log"));
        assertEquals(log, 0, device.exitValue());
        short[] decoded = wavSamples(wav);
        assertEquals("the clip's length in whole frames: " + log, (tone.length + 959) / 960 * 960, decoded.length);
        double snr = snr(tone, decoded);
        System.out.printf("DevicesIT: clip decoded by the runtime's decoder (Concentus): SNR %.1f dB%n", snr);
        assertTrue("SNR " + snr, snr > 20);
        assumeTrue("opusdec (opus-tools) not installed", opusdec);
        Path viaOpusdec = runtime.home.resolve("clip-opusdec.wav");
        Process dec = new ProcessBuilder("opusdec", "--rate", "48000", opus.toString(), viaOpusdec.toString())
                .redirectErrorStream(true).start();
        String out = new String(dec.getInputStream().readAllBytes());
        assertTrue(dec.waitFor(30, TimeUnit.SECONDS));
        assertEquals(out, 0, dec.exitValue());
        short[] fromFile = wavSamples(viaOpusdec);
        // opusdec leaves out the encoder's look-ahead at the start (pre-skip): within one frame
        assertTrue("opusdec's length " + fromFile.length, Math.abs(fromFile.length - tone.length) <= 960);
        double snrFile = snr(tone, fromFile);
        System.out.printf("DevicesIT: the --opus file decoded by opusdec: SNR %.1f dB%n", snrFile);
        assertTrue("SNR " + snrFile, snrFile > 20);
    }

    @Test
    public void stopNextAndPauseTakeEffectWithinOneFrame() throws Exception {
        try (DeviceClient d = connect("transport")) {
            next(d, ServerMessage::hasHello, 5);
            List<AudioPacket> packets = new CopyOnWriteArrayList<>();
            d.queue(packets::add);
            await("listening", 10, "transport", x -> x.path("transport").path("listening").asBoolean());
            post("/api/devices/transport/play", "{\"clip\":\"long\"}");
            post("/api/devices/transport/play", "{\"clip\":\"tone\"}");
            Thread.sleep(600);
            long answered = command("pause");
            Thread.sleep(400);
            assertNoneSentAfter(packets, answered, "long");
            AudioPacket lastBeforePause = packets.get(packets.size() - 1);
            command("play");
            Thread.sleep(300);
            AudioPacket firstAfter = packets.stream().filter(p -> p.getSequence() == lastBeforePause.getSequence() + 1).findFirst().orElseThrow();
            assertEquals("resumed where it paused", lastBeforePause.getMediaTimeUs() + 20_000, firstAfter.getMediaTimeUs());
            answered = command("next");
            Thread.sleep(300);
            assertNoneSentAfter(packets, answered, "long");
            assertTrue(packets.stream().anyMatch(p -> p.getClip().equals("tone")));
            answered = command("stop");
            Thread.sleep(400);
            assertNoneSentAfter(packets, answered, "tone");
            assertEquals("stopped", device("transport").path("transport").path("state").asText());
        }
    }

    private static long command(String what) throws Exception {
        HttpResponse<String> r = post("/api/devices/transport/" + what, "");
        assertEquals(r.body(), 200, r.statusCode());
        return nowMicros();
    }

    /** No packet of the clip was sent more than one frame after the command was answered. */
    private static void assertNoneSentAfter(List<AudioPacket> packets, long answeredMicros, String clip) {
        for (AudioPacket p : packets) {
            if (p.getClip().equals(clip)) {
                assertTrue("packet " + p.getSequence() + " of " + clip + " sent " + (p.getSentTimeUs() - answeredMicros) / 1000.0
                        + " ms after the command", p.getSentTimeUs() <= answeredMicros + 20_000);
            }
        }
    }

    @Test
    public void aDeviceThatDisconnectsMidStreamIsFreedAndShownOfflineAndItsLedsGoOffWhenItReturns() throws Exception {
        DeviceClient leaver = connect("leaver");
        next(leaver, ServerMessage::hasHello, 5);
        List<AudioPacket> packets = new CopyOnWriteArrayList<>();
        leaver.live(0, packets::add);
        await("its live call", 10, "leaver", d -> d.path("audio_calls").size() == 1);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (packets.size() < 10 && System.nanoTime() < until) Thread.sleep(20);
        assertTrue("live packets: " + packets.size(), packets.size() >= 10);
        leaver.close();
        JsonNode gone = await("offline and freed", 10, "leaver", d -> !d.path("online").asBoolean() && d.path("audio_calls").size() == 0);
        assertFalse(gone.path("online").asBoolean());
        try (DeviceClient back = connect("leaver")) {
            assertTrue(next(back, ServerMessage::hasHello, 5).getHello().getReturning());
            assertTrue(next(back, ServerMessage::hasLeds, 5).getLeds().getFlash());
            LedFrame off = next(back, m -> m.hasLeds() && !m.getLeds().getFlash(), 5).getLeds();
            assertTrue("all off after the flash: " + off.getRgbList(), off.getRgbList().stream().allMatch(v -> v == 0));
        }
    }

    @Test
    public void aWrongKeyIsRefusedWithTheReasonAndCounted() throws Exception {
        long refused = JSON.readTree(runtime.awaitHttp("/api/status", 5)).path("devices").path("refused").asLong();
        try (DeviceClient intruder = new DeviceClient("127.0.0.1", grpcPort, "clip", "not-the-key", 12, 2, 1, null)) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (intruder.ended() == null && System.nanoTime() < until) Thread.sleep(20);
            assertNotNull(intruder.ended());
            assertEquals(Status.Code.UNAUTHENTICATED, intruder.ended().getCode());
            assertEquals("wrong key for device 'clip'", intruder.ended().getDescription());
            DeviceClient.Audio audio = intruder.live(0, p -> { });
            until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (audio.ended() == null && System.nanoTime() < until) Thread.sleep(20);
            assertEquals(Status.Code.UNAUTHENTICATED, audio.ended().getCode());
        }
        assertEquals(refused + 2, JSON.readTree(runtime.awaitHttp("/api/status", 5)).path("devices").path("refused").asLong());
        Process wrong = new ProcessBuilder(runtime.home.resolve("bin/earshot-device").toString(), "127.0.0.1:" + grpcPort,
                "--id", "clip", "--key", "nope", "--seconds", "5").redirectErrorStream(true).start();
        String out = new String(wrong.getInputStream().readAllBytes());
        assertTrue(wrong.waitFor(20, TimeUnit.SECONDS));
        assertEquals(out, 3, wrong.exitValue());
        assertTrue(out, out.contains("UNAUTHENTICATED: wrong key for device 'clip'"));
    }

    /** An Audio call on a channel of its own: {@code authority} as the call names its host, {@code origin} when set. */
    private static Status gateAnswer(String authority, String origin) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).overrideAuthority(authority).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            if (origin != null) headers.put(Metadata.Key.of("origin", Metadata.ASCII_STRING_MARSHALLER), origin);
            Iterator<AudioPacket> packets = DevicesGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .audio(AudioRequest.newBuilder().setId("beam").setKey("key-beam").setLive(LiveSource.newBuilder().setChannel(0)).build());
            packets.next();
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    public void theAccessGateChecksTheHostAndOriginOfEveryCall() throws Exception {
        long refused = JSON.readTree(runtime.awaitHttp("/api/status", 5)).path("devices").path("refused").asLong();
        Status host = gateAnswer("evil.example:" + grpcPort, null);
        assertEquals(host.toString(), Status.Code.PERMISSION_DENIED, host.getCode());
        assertTrue(host.getDescription(), host.getDescription().contains("evil.example"));
        Status origin = gateAnswer("127.0.0.1:" + grpcPort, "http://evil.example");
        assertEquals(origin.toString(), Status.Code.PERMISSION_DENIED, origin.getCode());
        assertEquals("the same call from this machine, without a page's origin, is served", Status.Code.OK,
                gateAnswer("localhost:" + grpcPort, null).getCode());
        assertEquals(refused + 2, JSON.readTree(runtime.awaitHttp("/api/status", 5)).path("devices").path("refused").asLong());
    }

    @Test
    public void aDeviceListensToTheBeamformersOutput() throws Exception {
        try (DeviceClient beam = connect("beam")) {
            next(beam, ServerMessage::hasHello, 5);
            DeviceClient.Audio before = beam.handler("Beamformer", 0, p -> { });
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); before.ended() == null && System.nanoTime() < until; ) Thread.sleep(20);
            assertNotNull("asked for a handler that does not exist yet", before.ended());
            assertEquals(Status.Code.NOT_FOUND, before.ended().getCode());
            assertTrue(before.ended().getDescription(), before.ended().getDescription().startsWith("no handler named 'Beamformer' plays audio"));

            Path jar = Path.of(System.getProperty("earshot.examples.dir")).resolve("beamformer/target/io.earshot.examples.beamformer-0.1.0-SNAPSHOT.jar");
            assertTrue("built by plugins-examples: " + jar, Files.isRegularFile(jar));
            Files.copy(jar, runtime.home.resolve("plugins/beamformer.jar"));
            runtime.awaitJson("/api/status", "the beamformer's handler", s -> s.at("/dashboard/handlers").toString().contains("\"name\":\"Beamformer\""));
            List<AudioPacket> packets = new CopyOnWriteArrayList<>();
            DeviceClient.Audio audio = beam.handler("Beamformer", 0, packets::add);
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); packets.size() < 100 && audio.ended() == null
                    && System.nanoTime() < until; ) Thread.sleep(50);
            assertTrue("packets of the beamformer's output: " + packets.size() + "; ended: " + audio.ended(), packets.size() >= 100);
            for (int i = 1; i < packets.size(); i++) assertEquals(packets.get(i - 1).getSequence() + 1, packets.get(i).getSequence());
            JsonNode live = JSON.readTree(runtime.awaitHttp("/api/status", 5)).at("/devices/live/handlers");
            assertTrue(live.toString(), live.toString().contains("\"handler\":\"Beamformer\""));
            audio.cancel();
        } finally {
            Files.deleteIfExists(runtime.home.resolve("plugins/beamformer.jar"));
        }
    }

    @Test
    public void aDeviceThatStopsReadingIsCutOffWithoutSlowingTheOther() throws Exception {
        try (DeviceClient stopper = connect("stopper"); DeviceClient reader = connect("reader")) {
            next(stopper, ServerMessage::hasHello, 5);
            next(reader, ServerMessage::hasHello, 5);
            List<Arrival> read = new CopyOnWriteArrayList<>();
            DeviceClient.Audio stalled = stopper.live(0, p -> { });
            DeviceClient.Audio reading = reader.live(0, p -> read.add(new Arrival(p, nowMicros())));
            Thread.sleep(1000);
            stalled.stopReading();
            long stoppedAt = System.nanoTime();
            // the runtime ends the call; the device, reading nothing, learns it once it reads again
            await("the call of the device that stopped reading ended", 20, "stopper", d -> d.path("audio_calls").size() == 0);
            double cutAfter = (System.nanoTime() - stoppedAt) / 1e9;
            stalled.resumeReading();
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); stalled.ended() == null && System.nanoTime() < until; ) Thread.sleep(50);
            assertNotNull("the device that stopped reading was not told", stalled.ended());
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, stalled.ended().getCode());
            System.out.printf("DevicesIT: a device that stopped reading was cut off after %.1f s: %s%n", cutAfter, stalled.ended().getDescription());
            Thread.sleep(500);
            assertEquals(null, reading.ended());
            for (int i = 1; i < read.size(); i++) {
                assertEquals("the other lost nothing", read.get(i - 1).packet.getSequence() + 1, read.get(i).packet.getSequence());
            }
            double seconds = (read.get(read.size() - 1).receivedMicros - read.get(0).receivedMicros) / 1e6;
            double rate = (read.size() - 1) / seconds;
            assertTrue("the other kept real time: " + rate + " packets/s", rate > 45 && rate < 55);
        }
    }

    @Test
    public void theDevicesViewDrawsTheRingLiveAndPlaysAClip() throws Exception {
        try (DeviceClient d = connect("viewed")) {
            next(d, ServerMessage::hasHello, 5);
            List<AudioPacket> packets = new CopyOnWriteArrayList<>();
            d.queue(packets::add);
            ChromeDriver browser = RuntimeProcess.browser();
            try {
                browser.get(runtime.url("/?token=" + TOKEN));
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(StaleElementReferenceException.class);
                wait.until(b -> !b.findElements(By.cssSelector("nav button[data-view=devices]")).isEmpty());
                browser.findElement(By.cssSelector("nav button[data-view=devices]")).click();
                String card = ".device[data-device=viewed]";
                wait.until(b -> b.findElements(By.cssSelector(card + " svg.led-ring circle")).size() == 12);
                // the level meter lights some LEDs: the ring shows colours other than the unlit grey
                wait.until(b -> b.findElements(By.cssSelector(card + " svg.led-ring circle")).stream()
                        .anyMatch(c -> !"#333".equals(c.getAttribute("fill"))));
                // the cards are drawn anew four times a second: an element may go stale between finding and using it
                wait.until(b -> {
                    Select clip = new Select(b.findElement(By.cssSelector(card + " select[aria-label=clip]")));
                    clip.selectByValue("tone");
                    b.findElement(By.cssSelector(card + " select[aria-label=clip]")).click();
                    if (!"tone".equals(clip.getFirstSelectedOption().getAttribute("value"))) return false;
                    b.findElement(By.xpath("//div[@data-device='viewed']//button[text()='Queue']")).click();
                    return true;
                });
                wait.until(b -> packets.stream().anyMatch(p -> p.getClip().equals("tone")));
                wait.until(b -> {
                    b.findElement(By.xpath("//div[@data-device='viewed']//button[text()='Stop']")).click();
                    return true;
                });
                wait.until(b -> b.findElement(By.cssSelector(card)).getText().contains("stopped"));
            } finally {
                browser.quit();
            }
        }
    }
}
