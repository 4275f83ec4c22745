package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

import com.fasterxml.jackson.databind.JsonNode;

/** The stream as WebSocket clients see it: format, rate, config changes, bad input, slow clients. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StreamIT extends EarshotTestSupport {

    private static final String CONFIG_WITH_TOKEN = "/ws/config?token=" + TOKEN;

    private JsonNode apply(String json) throws Exception {
        WsClient config = WsClient.connect(http, ws(CONFIG_WITH_TOKEN));
        try {
            JsonNode answer = JSON.readTree(config.ask(json));
            assertTrue("config refused: " + answer, answer.get("ok").asBoolean());
            return answer.get("config");
        } finally {
            config.close();
        }
    }

    @Test
    public void everyBundleOfTheRuntimeIsActive() throws Exception {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " (state " + bundle.getState() + ")");
            }
        }
        assertTrue("not active: " + notActive, notActive.isEmpty());
        await("the synthetic source running", 20, () -> safely(() ->
                "running".equals(status().at("/stream/capture/state").asText())));
    }

    @Test
    public void spiFlyWeavesSlf4jButNotFelixHttpsJetty() throws Exception {
        assertEquals(200, get("/api/status").statusCode()); // Jetty has written response headers
        // a class SPI Fly wove calls into its package: the bundle gets a dynamic wire to it
        assertTrue("slf4j's ServiceLoader call must still be woven, or logging has no provider",
                wiredToSpiFly("slf4j.api"));
        assertFalse("Felix HTTP's Jetty must be hidden from SPI Fly (io.earshot.weaving.scope)",
                wiredToSpiFly("org.apache.felix.http.jetty12"));
    }

    private boolean wiredToSpiFly(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (!symbolicName.equals(bundle.getSymbolicName())) continue;
            for (BundleWire wire : bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                if ("org.apache.aries.spifly".equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    return true;
                }
            }
            return false;
        }
        throw new AssertionError(symbolicName + " is not in the runtime");
    }

    @Test
    public void aClientGetsTheConfigThenBuffersOfTheRightSizeAtTheConfiguredRate() throws Exception {
        JsonNode config = apply("{\"rate\":48000,\"channels\":6,\"buffer_frames\":1024,\"volume\":80}");
        assertEquals(1024, config.get("buffer_frames").asInt());

        WsClient client = WsClient.connect(http, ws("/ws/audio"));
        try {
            // config, possible values, then buffers; a change applied just before may add its announcement
            JsonNode announced = null;
            JsonNode possible = null;
            WsClient.Message m;
            while ((m = client.next()).isText()) {
                JsonNode text = JSON.readTree(m.text());
                if (text.has("possible_rates")) possible = text; else announced = text;
            }
            assertEquals(1024 * 6 * 2, m.binary().length);
            assertEquals(1024, announced.get("buffer_frames").asInt());
            assertEquals(48000, announced.get("rate").asInt());
            assertEquals(6, announced.get("channels").asInt());
            assertEquals(80, announced.get("volume").asInt());
            assertTrue(possible.get("possible_rates").toString(), possible.get("possible_rates").isArray());
            assertTrue(possible.get("possible_channel").toString().contains("48"));

            // skip the first second (connection warm-up), then count arrivals over five seconds
            Thread.sleep(1000);
            client.messages.clear();
            long start = System.nanoTime();
            Thread.sleep(5000);
            List<WsClient.Message> window = new ArrayList<>();
            client.messages.drainTo(window);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (WsClient.Message inWindow : window) {
                assertFalse("only binary messages while the config stays", inWindow.isText());
                assertEquals("easy-dsp size: frames x channels x 2", 1024 * 6 * 2, inWindow.binary().length);
            }
            double expected = 48000.0 / 1024 * seconds;
            assertEquals("buffers in " + seconds + " s", expected, window.size(), expected * 0.02 + 1);
        } finally {
            client.close();
        }
    }

    @Test
    public void aChangeIsAppliedAnnouncedToOtherClientsAndShowsInTheNextBuffers() throws Exception {
        apply("{\"rate\":48000,\"channels\":6,\"buffer_frames\":4096,\"volume\":80}");
        WsClient listener = WsClient.connect(http, ws("/ws/audio"));
        try {
            listener.nextText();
            listener.nextText();
            assertEquals(4096 * 6 * 2, listener.nextBinary().binary().length);

            JsonNode applied = apply("{\"channels\":8,\"buffer_frames\":512}");
            assertEquals(8, applied.get("channels").asInt());
            assertEquals(512, applied.get("buffer_frames").asInt());
            assertEquals("keys left out keep their value", 48000, applied.get("rate").asInt());

            WsClient.Message m;
            do {
                m = listener.next();
            } while (!m.isText());
            JsonNode announced = JSON.readTree(m.text());
            assertEquals(8, announced.get("channels").asInt());
            assertEquals(512, announced.get("buffer_frames").asInt());
            for (int i = 0; i < 5; i++) {
                assertEquals(512 * 8 * 2, listener.next().binary().length);
            }
            assertEquals(8, status().at("/stream/config/channels").asInt());
        } finally {
            listener.close();
        }
    }

    @Test
    public void badConfigsGetAReasonAndChangeNothing() throws Exception {
        JsonNode before = apply("{\"rate\":48000,\"channels\":6,\"buffer_frames\":4096,\"volume\":80}");
        WsClient config = WsClient.connect(http, ws(CONFIG_WITH_TOKEN));
        try {
            String[][] cases = {
                    {"{\"rate\":48000", "malformed JSON"},
                    {"[1,2]", "expected a JSON object"},
                    {"{\"rate\":44000}", "rate 44000 is not supported"},
                    {"{\"channels\":0}", "channels must be positive"},
                    {"{\"channels\":64}", "channels 64 is not supported"},
                    {"{\"buffer_frames\":10}", "buffer_frames 10 is out of range"},
                    {"{\"volume\":101}", "volume must be 0..100"},
                    {"{\"rate\":\"fast\"}", "rate must be a whole number"},
                    {"{\"rate\":4.5}", "rate must be a whole number"},
                    {"{\"samplerate\":48000}", "unknown key 'samplerate'"},
                    {"{\"rate\":" + "1".repeat(5000) + "}", "too long"},
            };
            for (String[] c : cases) {
                JsonNode answer = JSON.readTree(config.ask(c[0]));
                assertFalse(c[0], answer.get("ok").asBoolean());
                assertTrue(c[0] + " -> " + answer, answer.get("error").asText().contains(c[1]));
                assertEquals("unchanged after " + c[0], before, answer.get("config"));
            }
            // the connection is still usable after all that
            JsonNode ok = JSON.readTree(config.ask("{\"volume\":70}"));
            assertTrue(ok.toString(), ok.get("ok").asBoolean());
            assertEquals(70, ok.at("/config/volume").asInt());
        } finally {
            config.close();
        }
        assertEquals("running", status().at("/stream/capture/state").asText());
    }

    @Test
    public void aChangeWithoutTheTokenIsRefused() throws Exception {
        JsonNode before = apply("{\"rate\":48000,\"channels\":6,\"buffer_frames\":4096,\"volume\":80}");
        for (String uri : new String[] {"/ws/config", "/ws/config?token=wrong-token-0123456789"}) {
            WsClient config = WsClient.connect(http, ws(uri));
            try {
                JsonNode answer = JSON.readTree(config.ask("{\"rate\":16000}"));
                assertFalse(answer.get("ok").asBoolean());
                assertTrue(answer.toString(), answer.get("error").asText().contains("token"));
                assertEquals(before, answer.get("config"));
            } finally {
                config.close();
            }
        }
        assertEquals(48000, status().at("/stream/config/rate").asInt());
    }

    @Test
    public void aClientThatStopsReadingCostsANormalClientNothing() throws Exception {
        // 48 channels: a stalled client's socket buffers fill within a second or two
        apply("{\"rate\":48000,\"channels\":48,\"buffer_frames\":4096,\"volume\":80}");
        WsClient stalled = WsClient.connect(http, ws("/ws/audio"), 3);
        WsClient normal = WsClient.connect(http, ws("/ws/audio?header=1"));
        try {
            normal.nextText();
            normal.nextText();
            List<Long> sequences = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < end) {
                WsClient.Message m = normal.nextBinary();
                assertEquals(24 + 4096 * 48 * 2, m.binary().length);
                sequences.add(m.sequence());
            }
            for (int i = 1; i < sequences.size(); i++) {
                assertEquals("no gap for the normal client", sequences.get(i - 1) + 1, (long) sequences.get(i));
            }
            assertTrue("about 11.7 buffers/s for 6 s, got " + sequences.size(), sequences.size() >= 60);
            await("the stalled client losing buffers", 20, () -> safely(() -> {
                for (JsonNode c : status().at("/audio_clients/clients")) {
                    if (c.get("dropped").asLong() > 0) return true;
                }
                return false;
            }));
        } finally {
            stalled.socket.abort();
            normal.close();
            apply("{\"channels\":6}");
        }
    }

    @Test
    public void clientsOnTheBridgesOtherSendThreadGetEveryBufferInOrderAndConfigsFirst() throws Exception {
        apply("{\"rate\":48000,\"channels\":2,\"buffer_frames\":1024,\"volume\":80}");
        configure("io.earshot.bridge.audio", "clientsPerThread", "1"); // past one client, the send lane takes some
        await("the bridge reconfigured", 10, () -> safely(() ->
                status().at("/audio_clients/limits/clients_per_thread").asInt() == 1));
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) clients.add(WsClient.connect(http, ws("/ws/audio?header=1")));
            await("clients spread over the send threads", 10, () -> safely(() -> {
                JsonNode threads = status().at("/audio_clients/send_threads");
                int onLanes = 0;
                for (int i = 1; i < threads.size(); i++) onLanes += threads.get(i).get("clients").asInt();
                return threads.size() == 4 && threads.get(0).get("clients").asInt() >= 1 && onLanes >= 2;
            }));
            Thread.sleep(1000);
            apply("{\"buffer_frames\":2048}");
            Thread.sleep(1000);
            for (WsClient client : clients) {
                int frames = 1024;
                long last = -1;
                int afterChange = 0;
                for (WsClient.Message m; (m = client.messages.poll()) != null; ) {
                    if (m.isText()) {
                        if (m.text().contains("buffer_frames")) frames = JSON.readTree(m.text()).get("buffer_frames").asInt();
                        continue;
                    }
                    assertEquals("a buffer of the config last announced", 24 + frames * 2 * 2, m.binary().length);
                    if (last >= 0) assertEquals("no gap, no reordering", last + 1, m.sequence());
                    last = m.sequence();
                    if (frames == 2048) afterChange++;
                }
                assertTrue("buffers of the new config arrived: " + afterChange, afterChange >= 10);
            }
        } finally {
            for (WsClient client : clients) client.close();
            configure("io.earshot.bridge.audio", "clientsPerThread", "64");
            apply("{\"rate\":48000,\"channels\":6,\"buffer_frames\":4096}");
        }
    }

    @Test
    public void headerModeCarriesSequenceAndCaptureTime() throws Exception {
        apply("{\"rate\":16000,\"channels\":2,\"buffer_frames\":256,\"volume\":80}");
        WsClient client = WsClient.connect(http, ws("/ws/audio?header=1"));
        try {
            client.nextText();
            client.nextText();
            WsClient.Message first = client.nextBinary();
            WsClient.Message second = client.next();
            java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(second.binary()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals("ES01", new String(second.binary(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(24, header.getInt(4));
            assertEquals(first.sequence() + 1, second.sequence());
            long captureMillis = header.getLong(16) / 1_000_000;
            assertTrue("capture time is wall-clock and recent",
                    Math.abs(System.currentTimeMillis() - captureMillis) < 5_000);
            assertEquals(24 + 256 * 2 * 2, second.binary().length);
        } finally {
            client.close();
            apply("{\"rate\":48000,\"channels\":6,\"buffer_frames\":4096}");
        }
    }
}
