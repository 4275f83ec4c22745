package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.itests.plugin.CountingListener;

/**
 * Several streams in one runtime, started as a user starts it: the main simulated array, a
 * second simulated array of another shape ({@code conf/io.earshot.stream~array-2.cfg}) and a
 * remote stream from a board, a second runtime the test starts
 * ({@code conf/io.earshot.stream-board.cfg}, FileInstall's spelling of the same thing).
 */
public class StreamsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private static String listenerJar(String name, String streams) {
        return "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\" immediate=\"true\">"
                + "<implementation class=\"" + CountingListener.class.getName() + "\"/>"
                + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                + "<property name=\"earshot.listener.name\" value=\"" + name + "\"/>"
                + (streams == null ? "" : "<property name=\"earshot.stream\" value=\"" + streams + "\"/>")
                + "</scr:component>";
    }

    private static List<String> listenerNames(JsonNode stream) {
        List<String> names = new ArrayList<>();
        stream.path("listeners").forEach(l -> names.add(l.path("name").asText()));
        return names;
    }

    private static long delivered(JsonNode stream, String listener) {
        for (JsonNode l : stream.path("listeners")) {
            if (l.path("name").asText().equals(listener)) return l.path("delivered").asLong();
        }
        return -1;
    }

    /** Header-mode buffers of one client: each next sequence number must be the last plus one. */
    private static long[] sequences(WsClient client, int count) throws InterruptedException {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = client.nextBinary().sequence();
        return out;
    }

    private static void assertConsecutive(String what, long[] sequences) {
        for (int i = 1; i < sequences.length; i++) {
            assertEquals(what + ": buffer " + i + " follows " + (i - 1), sequences[i - 1] + 1, sequences[i]);
        }
    }

    /** The answer to a WebSocket upgrade, as a raw client sees it (status line, headers, body). */
    private static String rawUpgrade(int port, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (java.net.SocketTimeoutException enough) {
                // kept open: what came is the answer
            }
            return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    public void streamsOfTheirOwnSourcesConfigsAndListenersComeAndGoWithTheirConfigurations() throws Exception {
        try (RuntimeProcess board = RuntimeProcess.start("board-token-0123456789")) {
            String boardUrl = "ws://127.0.0.1:" + board.port + "/ws/audio";
            try (RuntimeProcess runtime = RuntimeProcess.start("streams-token-0123456789", 0, Map.of(
                    "io.earshot.stream~array-2.cfg", "source=synthetic\nrate=16000\nchannels=4\nbuffer_frames=1600\n"
                            + "angularSpeed=-40\npose=1.5,0.5,90\n",
                    "io.earshot.stream-board.cfg", "source=remote\nurl=" + boardUrl + "\ntoken=board-token-0123456789\n",
                    "io.earshot.stream~Kitchen.cfg", "source=synthetic\n",
                    "io.earshot.stream~nochannels.cfg", "source=synthetic\nchannels=0\n",
                    "io.earshot.stream~odd-rate.cfg", "source=synthetic\nrate=12345\n"))) {
                JsonNode streams = runtime.awaitJson("/api/status", "three streams running", s -> {
                    JsonNode all = s.path("streams");
                    return all.path("main").path("capture").path("state").asText().equals("running")
                            && all.path("array-2").path("capture").path("state").asText().equals("running")
                            && all.path("board").path("capture").path("state").asText().equals("running");
                }).path("streams");
                assertEquals(16000, streams.at("/array-2/config/rate").asInt());
                assertEquals(4, streams.at("/array-2/config/channels").asInt());
                assertEquals(1.5, streams.at("/array-2/pose/x").asDouble(), 0);
                assertEquals("remote", streams.at("/board/source/id").asText());
                assertEquals(boardUrl, streams.at("/board/source/url").asText());
                // a second scene: its truth moves the other way round, and it is its own
                assertTrue(streams.at("/array-2/source/truth/azimuth_deg").isNumber());
                assertEquals("(set)", streams.at("/board/source/settings/token").asText());
                // a configuration whose name is no stream id is refused, with the rule, and runs nothing
                JsonNode refused = runtime.awaitJson("/api/status", "the refusal of a bad stream id",
                        s -> s.at("/streams/io.earshot.stream~Kitchen/refused").isTextual()).at("/streams/io.earshot.stream~Kitchen");
                assertTrue(refused.toString(), refused.path("refused").asText().contains("not a stream id"));
                // a value out of range refuses the stream with the range; one the source cannot run is fitted, and said
                JsonNode all = runtime.awaitJson("/api/status", "the refusal of channels=0 and the odd rate fitted", s ->
                        s.at("/streams/io.earshot.stream~nochannels/refused").isTextual()
                                && s.at("/streams/odd-rate/capture/config_adjusted").isTextual()).path("streams");
                assertEquals("channels must be positive, got 0", all.at("/io.earshot.stream~nochannels/refused").asText());
                assertTrue(all.at("/odd-rate/capture/config_adjusted").asText(),
                        all.at("/odd-rate/capture/config_adjusted").asText().contains("rate 12345 is not supported"));

                // every stream has its own sequence numbers and config on /ws/audio?stream=
                WsClient main = WsClient.connect(http, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1"));
                WsClient second = WsClient.connect(http, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1&stream=array-2"));
                WsClient fromBoard = WsClient.connect(http, URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1&stream=board"));
                assertEquals(6, JSON.readTree(main.nextText()).path("channels").asInt());
                JsonNode secondConfig = JSON.readTree(second.nextText());
                assertEquals(4, secondConfig.path("channels").asInt());
                assertEquals(16000, secondConfig.path("rate").asInt());
                assertEquals(1600, secondConfig.path("buffer_frames").asInt());
                assertEquals(48000, JSON.readTree(fromBoard.nextText()).path("rate").asInt());
                WsClient.Message secondBuffer = second.nextBinary();
                int headerBytes = java.nio.ByteBuffer.wrap(secondBuffer.binary()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4);
                assertEquals(1600 * 4 * 2, secondBuffer.binary().length - headerBytes);
                assertConsecutive("second", sequences(second, 5));
                assertConsecutive("board", sequences(fromBoard, 3));

                // Jetty's error page carries the reason, HTML-escaped
                String unknown = rawUpgrade(runtime.port, "/ws/audio?stream=nowhere").replace("&apos;", "'");
                assertTrue(unknown, unknown.startsWith("HTTP/1.1 404"));
                assertTrue(unknown, unknown.contains("no stream 'nowhere'") && unknown.contains("array-2"));

                // a plugin bound to one stream sees only that one; one of every stream sees each
                Files.write(runtime.home.resolve("plugins/only-second.jar"), PluginJars.build("io.earshot.itests.onlysecond",
                        listenerJar("only-second", "array-2"), CountingListener.class));
                Files.write(runtime.home.resolve("plugins/every-stream.jar"), PluginJars.build("io.earshot.itests.everystream",
                        listenerJar("every-stream", "*"), CountingListener.class));
                streams = runtime.awaitJson("/api/status", "the plugins receiving", s -> delivered(s.at("/streams/array-2"), "only-second") > 2
                        && delivered(s.at("/streams/board"), "every-stream") > 2 && delivered(s.at("/streams/main"), "every-stream") > 2)
                        .path("streams");
                assertFalse(listenerNames(streams.path("main")).contains("only-second"));
                assertFalse(listenerNames(streams.path("board")).contains("only-second"));
                assertTrue(listenerNames(streams.path("array-2")).contains("every-stream"));

                // a config change on one stream: its clients get the new config, the others' sequences go on unbroken
                long[] mainBefore = sequences(main, 1);
                WsClient config = WsClient.connect(http, URI.create("ws://127.0.0.1:" + runtime.port
                        + "/ws/config?stream=array-2&token=streams-token-0123456789"));
                JsonNode answer = JSON.readTree(config.ask("{\"buffer_frames\":800}"));
                assertTrue(answer.toString(), answer.path("ok").asBoolean());
                assertEquals(800, answer.at("/config/buffer_frames").asInt());
                config.close();
                String changed;
                do {
                    WsClient.Message m = second.next();
                    changed = m.isText() ? m.text() : null;
                } while (changed == null || !changed.contains("buffer_frames"));
                assertEquals(800, JSON.readTree(changed).path("buffer_frames").asInt());
                long[] mainAfter = sequences(main, 8);
                assertEquals(mainBefore[0] + 1, mainAfter[0]);
                assertConsecutive("main across the change of second", mainAfter);
                assertEquals(4096, runtime.awaitJson("/api/status", "main unchanged", s -> true).at("/streams/main/config/buffer_frames").asInt());

                // the board goes away: its stream retries and says why; the others are untouched
                long mainBuffers = runtime.awaitJson("/api/status", "main", s -> true).at("/streams/main/capture/buffers").asLong();
                board.kill();
                JsonNode away = runtime.awaitJson("/api/status", "the board's stream retrying", s ->
                        s.at("/streams/board/capture/state").asText().contains("retrying")).path("streams");
                assertFalse(away.at("/board/capture/last_error").asText().isEmpty());
                assertEquals("running", away.at("/main/capture/state").asText());
                assertEquals("running", away.at("/array-2/capture/state").asText());
                runtime.awaitJson("/api/status", "main capturing on", s -> s.at("/streams/main/capture/buffers").asLong() > mainBuffers);
                assertConsecutive("main while the board is away", sequences(main, 5));

                // removing a stream's configuration removes the stream, and closes its clients with the reason
                Files.delete(runtime.home.resolve("conf/io.earshot.stream~array-2.cfg"));
                runtime.awaitJson("/api/status", "the second stream gone", s -> s.path("streams").path("array-2").isMissingNode());
                String closed = second.closed.get(10, TimeUnit.SECONDS);
                assertTrue(closed, closed.startsWith("1001") && closed.contains("array-2"));
                assertConsecutive("main after second went", sequences(main, 3));
                main.close();
                fromBoard.close();
            }
        }
    }
}
