package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Workstation mode with two runtimes started as a user starts them: a "board" streaming its
 * simulated array, and a workstation whose source is the board's audio WebSocket. A config change
 * on the workstation reaches the board; the board going away and coming back is retried, and the
 * gap shows in the workstation's sequence numbers.
 */
public class RemoteSourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode status(RuntimeProcess runtime) throws Exception {
        return JSON.readTree(runtime.awaitHttp("/api/status", 5));
    }

    private static void await(String what, int seconds, RuntimeProcess runtime, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = status(runtime);
                if (condition.test(last)) return;
            } catch (Exception | AssertionError notYet) {
                // the runtime is starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; status: " + (last == null ? null : last.at("/stream")));
    }

    private static String ask(RuntimeProcess runtime, String message) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + runtime.port + "/ws/config?token=" + runtime.token), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        answer.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText(message, true).get(5, TimeUnit.SECONDS);
        String reply = answer.get(20, TimeUnit.SECONDS);
        socket.abort();
        return reply;
    }

    /** Now minus the capture stamp of the first buffer a header-mode client gets. */
    private static long firstBufferAgeMillis(RuntimeProcess runtime) throws Exception {
        CompletableFuture<Long> age = new CompletableFuture<>();
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio?header=1"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                        byte[] part = new byte[data.remaining()];
                        data.get(part);
                        message.writeBytes(part);
                        if (last) {
                            long stamp = java.nio.ByteBuffer.wrap(message.toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(16);
                            java.time.Instant now = java.time.Instant.now();
                            age.complete((now.getEpochSecond() * 1_000_000_000L + now.getNano() - stamp) / 1_000_000);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            return age.get(10, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The board serves only what an easy-dsp board serves: its classic ports, no header, no token.
     * The workstation stamps each buffer as it arrives and still changes the board's config.
     */
    @Test
    public void aWorkstationFollowsABoardOnTheClassicPorts() throws Exception {
        int audioPort = freePort();
        int configPort = freePort();
        RuntimeProcess board = RuntimeProcess.start("board-token-0123456789abcdef", 0, Map.of(
                "io.earshot.classic.cfg", "enabled=true\n",
                "io.earshot.bridge.audio.cfg", "earshot.classic.port=" + audioPort + "\n",
                "io.earshot.bridge.config.cfg", "earshot.classic.port=" + configPort + "\n"));
        Map<String, String> conf = Map.of(
                "io.earshot.hub.cfg", "source=remote\n",
                "io.earshot.source.remote.cfg", "url=ws://127.0.0.1:" + audioPort + "/\n"
                        + "configUrl=ws://127.0.0.1:" + configPort + "/\n");
        try (RuntimeProcess workstation = RuntimeProcess.start("station-token-0123456789abcdef", 0, conf)) {
            await("the workstation streaming the board", 30, workstation, s -> "remote".equals(s.at("/stream/source/id").asText())
                    && "running".equals(s.at("/stream/capture/state").asText()) && s.at("/stream/capture/buffers").asLong() > 5);
            JsonNode answer = JSON.readTree(ask(workstation, "{\"channels\":2}"));
            assertTrue(answer.toString(), answer.get("ok").asBoolean());
            await("the board at 2 channels", 15, board, s -> s.at("/stream/config/channels").asInt() == 2);
            await("the workstation receiving 2 channels", 15, workstation, s -> s.at("/stream/source/capture/received").asLong() > 3
                    && s.at("/stream/config/channels").asInt() == 2);
            // stamped on arrival: a buffer's age when a client gets it is small and not negative
            long age = firstBufferAgeMillis(workstation);
            assertTrue("capture-to-client ms, counted from the buffer's arrival at the workstation: " + age, age >= 0 && age < 2_000);
        } finally {
            board.close();
        }
    }

    @Test
    public void aWorkstationAnalysesABoardsStream() throws Exception {
        RuntimeProcess board = RuntimeProcess.start("board-token-0123456789abcdef");
        int boardPort = board.port;
        Map<String, String> conf = Map.of(
                "io.earshot.hub.cfg", "source=remote\n",
                "io.earshot.source.remote.cfg", "url=ws://127.0.0.1:" + boardPort + "/ws/audio\n"
                        + "configUrl=ws://127.0.0.1:" + boardPort + "/ws/config\n" + "token=board-token-0123456789abcdef\n");
        try (RuntimeProcess workstation = RuntimeProcess.start("station-token-0123456789abcdef", 0, conf)) {
            await("the workstation streaming the board", 30, workstation, s -> "remote".equals(s.at("/stream/source/id").asText())
                    && "running".equals(s.at("/stream/capture/state").asText()) && s.at("/stream/capture/buffers").asLong() > 5);
            assertEquals(6, status(workstation).at("/stream/config/channels").asInt());

            // a change on the workstation is made on the board
            JsonNode answer = JSON.readTree(ask(workstation, "{\"channels\":4}"));
            assertTrue(answer.toString(), answer.get("ok").asBoolean());
            await("the board at 4 channels", 15, board, s -> s.at("/stream/config/channels").asInt() == 4);
            await("the workstation receiving 4 channels", 15, workstation, s -> s.at("/stream/source/capture/received").asLong() > 3
                    && s.at("/stream/config/channels").asInt() == 4);

            // the board goes away: the workstation says why and retries; it comes back on the same port
            board.close();
            await("the workstation noticing", 20, workstation, s -> s.at("/stream/capture/last_error").asText().startsWith("remote"));
            Thread.sleep(2_000);
            board = RuntimeProcess.start("board-token-0123456789abcdef", boardPort, Map.of());
            await("the workstation streaming again", 60, workstation, s -> "running".equals(s.at("/stream/capture/state").asText())
                    && s.at("/stream/source/capture/received").asLong() > 3);
            await("the board switched to the workstation's 4 channels again", 15, board, s -> s.at("/stream/config/channels").asInt() == 4);
            long gap = status(workstation).at("/stream/capture/lost_in_source").asLong();
            assertTrue("the time away shows as lost buffers in the sequence numbers: " + gap, gap >= 20);
        } finally {
            board.close();
        }
    }

    private static void writeConf(RuntimeProcess runtime, String file, String content) throws Exception {
        java.nio.file.Path staging = runtime.home.resolve(file + ".part");
        java.nio.file.Files.writeString(staging, content);
        java.nio.file.Files.move(staging, runtime.home.resolve("conf").resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitBoard(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    private static Predicate<JsonNode> streaming(String sourceId) {
        return s -> sourceId.equals(s.at("/stream/source/id").asText()) && "running".equals(s.at("/stream/capture/state").asText())
                && (!"remote".equals(sourceId) || s.at("/stream/source/capture/received").asLong() > 3);
    }

    /**
     * A board as strict as Python's websockets 15 (no body headers in the handshake) sees exactly
     * one connection per start of the workstation and per switch back to it, and none left once
     * the workstation switches away, points elsewhere or stops. A board that refuses the
     * handshake is quoted in the status; a port where nothing listens is said in words.
     */
    @Test
    public void aStrictBoardSeesOneConnectionPerStartAndRefusalsAreQuoted() throws Exception {
        try (StrictBoard board = StrictBoard.start(); StrictBoard refusing = StrictBoard.refusing()) {
            String remote = "url=ws://127.0.0.1:" + board.port() + "/\n";
            Map<String, String> conf = Map.of("io.earshot.hub.cfg", "source=remote\n", "io.earshot.source.remote.cfg", remote);
            int expected = 0;
            for (int start = 1; start <= 2; start++) {
                try (RuntimeProcess workstation = RuntimeProcess.start("station-token-0123456789abcdef", 0, conf)) {
                    await("the workstation streaming the board", 30, workstation, streaming("remote"));
                    expected++;
                    assertEquals("connections after start " + start + "; refused: " + board.refusals, expected, board.accepted());
                    assertEquals(1, board.live());
                    if (start == 1) {
                        writeConf(workstation, "io.earshot.hub.cfg", "source=synthetic\n");
                        await("the synthetic source", 20, workstation, streaming("synthetic"));
                        awaitBoard("the connection closed after the switch away", () -> board.live() == 0);
                        writeConf(workstation, "io.earshot.hub.cfg", "source=remote\n");
                        await("the board again", 20, workstation, streaming("remote"));
                        expected++;
                        assertEquals(expected, board.accepted());
                        assertEquals(1, board.live());

                        writeConf(workstation, "io.earshot.source.remote.cfg", "url=ws://127.0.0.1:" + refusing.port() + "/\n");
                        await("the refusal quoted", 20, workstation, s -> s.at("/stream/capture/last_error").asText()
                                .contains("HTTP/1.1 400 Bad Request (" + StrictBoard.REFUSAL_BODY));
                        awaitBoard("the first board's connection closed", () -> board.live() == 0);
                        int closedPort = freePort();
                        writeConf(workstation, "io.earshot.source.remote.cfg", "url=ws://127.0.0.1:" + closedPort + "/\n");
                        await("the refused port in words", 20, workstation, s -> s.at("/stream/capture/last_error").asText()
                                .contains("connection refused by 127.0.0.1:" + closedPort));
                        String error = status(workstation).at("/stream/capture/last_error").asText();
                        assertTrue(error, !error.contains("null"));

                        writeConf(workstation, "io.earshot.source.remote.cfg", remote);
                        await("the board once more", 30, workstation, streaming("remote"));
                        expected++;
                        assertEquals(expected, board.accepted());
                        assertEquals(1, board.live());
                    }
                }
                awaitBoard("no connection left after the workstation stopped", () -> board.live() == 0);
            }
            assertEquals("handshakes the strict board refused: " + board.refusals, 0, board.refusals.size());
            assertEquals(expected, board.accepted());
        }
    }
}
