package io.earshot.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The intercom of a runtime started as a user starts it ({@code bin/earshot --intercom}, the port
 * in conf/io.earshot.intercom.cfg): raw-socket clients get every clip whole, one that stops
 * reading delays no one, bad hellos are refused with the reason, and {@code bin/earshot-intercom}
 * from the distribution comes back after the runtime is killed and started again.
 */
public class IntercomIT {

    private static final String TOKEN = "intercom-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RuntimeProcess runtime;
    private static int intercomPort;

    @BeforeClass
    public static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            intercomPort = socket.getLocalPort();
        }
        runtime = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.intercom.cfg", "port=" + intercomPort + "\n"), "--intercom");
        awaitStatus("the intercom listening", 30, s -> s.at("/intercom/listening").asBoolean());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (runtime != null) runtime.close();
    }

    private static HttpResponse<String> post(String body, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.url("/api/intercom/send")))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (withToken) request.header("Authorization", "Bearer " + TOKEN);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode send(String body) throws Exception {
        HttpResponse<String> response = post(body, true);
        assertEquals(response.body(), 200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(runtime.awaitHttp("/api/status", 10));
    }

    private static JsonNode awaitStatus(String what, int seconds, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            JsonNode status = status();
            if (condition.test(status)) return status;
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + seconds + " s: " + what + "; " + status.get("intercom"));
            Thread.sleep(100);
        }
    }

    private static JsonNode client(JsonNode status, String name) {
        for (JsonNode client : status.at("/intercom/clients")) {
            if (name.startsWith("#" + client.get("id").asLong() + " ")) return client;
        }
        throw new AssertionError(name + " is not connected: " + status.get("intercom"));
    }

    @Test
    public void twoClientsGetTheSameValidWavOfTheStream() throws Exception {
        assertEquals(intercomPort, status().at("/intercom/port").asInt());
        try (IntercomSocket a = IntercomSocket.connect(intercomPort, null, 0, true);
                IntercomSocket b = IntercomSocket.connect(intercomPort, TOKEN, 0, true)) {
            awaitStatus("two clients", 10, s -> s.at("/intercom/connected").asInt() == 2);
            JsonNode sent = send("{\"seconds\":1}");
            assertEquals(sent.toString(), 2, sent.get("clients").size());
            assertEquals(0, sent.get("dropped").size());
            IntercomSocket.Clip first = a.next(20);
            IntercomSocket.Clip second = b.next(20);
            assertArrayEquals("the same bytes for both", first.wav(), second.wav());
            assertEquals(sent.get("bytes").asInt(), first.wav().length);
            assertEquals(sent.get("clip").asLong(), first.number());
            assertEquals(48000, first.rate());
            assertEquals(6, first.channels());
            IntercomSocket.assertFormat(first.wav(), 48000, 6, 48000);

            JsonNode two = send("{\"seconds\":0.5,\"channels\":[4,1]}");
            assertEquals("[4,1]", two.get("channels").toString());
            IntercomSocket.Clip pair = a.next(20);
            IntercomSocket.assertFormat(pair.wav(), 48000, 2, 24000);
            assertArrayEquals(pair.wav(), b.next(20).wav());
            awaitStatus("both counted", 10, s -> s.at("/intercom/clients/0/sent").asInt() == 2 && s.at("/intercom/clients/1/sent").asInt() == 2);
        }
        awaitStatus("both gone", 10, s -> s.at("/intercom/connected").asInt() == 0);
    }

    @Test
    public void aClientThatStopsReadingDoesNotDelayTheOther() throws Exception {
        int sends = 4;
        try (IntercomSocket stalled = IntercomSocket.connect(intercomPort, null, 4096, false);
                IntercomSocket reader = IntercomSocket.connect(intercomPort, null, 0, true)) {
            awaitStatus("two clients", 10, s -> s.at("/intercom/connected").asInt() == 2);
            String stalledName = status().at("/intercom/clients/0/id").asText();
            for (int i = 0; i < sends; i++) {
                JsonNode sent = send("{\"seconds\":1}");
                IntercomSocket.Clip clip = reader.next(20);
                assertEquals("clip " + i + " reached the reading client", sent.get("clip").asLong(), clip.number());
                IntercomSocket.assertFormat(clip.wav(), 48000, 6, 48000);
            }
            // the stalled one has not taken them all: what it has not is in its queue, or dropped for it (counted)
            JsonNode stuck = client(status(), "#" + stalledName + " ");
            assertTrue(stuck.toString(), stuck.get("sent").asInt() < sends);
            assertTrue(stuck.toString(), stuck.get("queued").asInt() + stuck.get("dropped").asInt() > 0);
            // and when its clip makes no progress for a while it is closed, with the reason
            JsonNode ended = awaitStatus("the stalled client closed", 60, s -> {
                for (JsonNode e : s.at("/intercom/ended")) {
                    if (e.get("id").asText().equals(stalledName)) return true;
                }
                return false;
            });
            String why = "";
            for (JsonNode e : ended.at("/intercom/ended")) if (e.get("id").asText().equals(stalledName)) why = e.get("closed").asText();
            assertTrue(why, why.startsWith("stopped reading: clip "));
            assertEquals("the reading one stays", 1, ended.at("/intercom/connected").asInt());
        }
    }

    @Test
    public void aClientThatFallsSilentIsTakenForDeadAndClosed() throws Exception {
        try (IntercomSocket silent = IntercomSocket.silent(intercomPort)) {
            JsonNode status = awaitStatus("connected", 10, s -> s.at("/intercom/connected").asInt() == 1);
            String id = status.at("/intercom/clients/0/id").asText();
            JsonNode ended = awaitStatus("the silent client closed", 60, s -> s.at("/intercom/connected").asInt() == 0);
            JsonNode entry = null;
            for (JsonNode e : ended.at("/intercom/ended")) if (e.get("id").asText().equals(id)) entry = e;
            assertTrue(String.valueOf(entry), entry != null && entry.get("closed").asText().startsWith("nothing heard for 15 s"));
            assertTrue("the runtime sent keep-alives meanwhile: " + entry, entry.get("keep_alives").asInt() >= 2);
        }
    }

    @Test
    public void badHellosWrongTokensAndSendsWithoutTheTokenAreRefusedWithAReason() throws Exception {
        assertTrue(IntercomSocket.answer(intercomPort, "HELLO\n").startsWith("REFUSED hello: expected 'EARSHOT-INTERCOM 1[ token=T]'"));
        assertTrue(IntercomSocket.answer(intercomPort, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startsWith("REFUSED hello: "));
        assertEquals("REFUSED version: this side speaks EARSHOT-INTERCOM 1, the client asked for 2",
                IntercomSocket.answer(intercomPort, "EARSHOT-INTERCOM 2\n"));
        assertTrue(IntercomSocket.answer(intercomPort, "EARSHOT-INTERCOM 1 token=not-the-token-at-all\n")
                .startsWith("REFUSED token: that is not this runtime's access token"));
        awaitStatus("the refusals counted", 10, s -> s.at("/intercom/refused").asInt() >= 4);

        HttpResponse<String> without = post("{\"seconds\":1}", false);
        assertEquals(without.body(), 401, without.statusCode());
        assertEquals(400, post("{\"seconds\":\"one\"}", true).statusCode());
        assertTrue(post("{\"secs\":1}", true).body().contains("unknown key 'secs'"));
        HttpResponse<String> channel = post("{\"seconds\":1,\"channels\":[0,6]}", true);
        assertEquals(400, channel.statusCode());
        assertTrue(channel.body(), channel.body().contains("channel 6 is not one of the stream's: 0..5"));
        HttpResponse<String> tooLong = post("{\"seconds\":30}", true);
        assertEquals(tooLong.body(), 413, tooLong.statusCode());
        assertTrue(tooLong.body(), tooLong.body().contains("a clip may be at most 16777216"));
    }

    @Test
    public void theLauncherPlaysOnAfterTheRuntimeIsKilledAndStartedAgain() throws Exception {
        Path saved = Files.createDirectories(runtime.home.resolve("clips"));
        Path log = runtime.home.resolve("intercom-client.log");
        Process launcher = new ProcessBuilder(runtime.home.resolve("bin/earshot-intercom").toString(), "127.0.0.1",
                String.valueOf(intercomPort), "--save", saved.toString(), "--token", TOKEN)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitStatus("the launcher connected", 30, s -> s.at("/intercom/connected").asInt() == 1);
            assertEquals(1, send("{\"seconds\":0.5}").get("clients").size());
            List<Path> first = awaitFiles(saved, 1, log);
            IntercomSocket.assertFormat(Files.readAllBytes(first.get(0)), 48000, 6, 24000);

            runtime.kill();
            runtime = runtime.restart();
            awaitStatus("the launcher back", 60, s -> s.at("/intercom/connected").asInt() == 1);
            JsonNode again = send("{\"seconds\":0.5,\"channels\":[0]}");
            assertEquals(again.toString(), 1, again.get("clients").size());
            List<Path> both = awaitFiles(saved, 2, log);
            IntercomSocket.assertFormat(Files.readAllBytes(both.get(1)), 48000, 1, 24000);
            String said = Files.readString(log);
            assertEquals(said, 2, said.split("connected to 127.0.0.1:" + intercomPort + "; waiting for clips", -1).length - 1);
            assertTrue(said, said.contains("not connected to 127.0.0.1:" + intercomPort + " (connection lost"));
        } finally {
            launcher.destroy();
            if (!launcher.waitFor(10, TimeUnit.SECONDS)) launcher.destroyForcibly();
        }
    }

    @Test
    public void theWebappsIntercomCardSendsWithThePagesToken() throws Exception {
        ChromeDriver browser = RuntimeProcess.browser();
        try (IntercomSocket client = IntercomSocket.connect(intercomPort, null, 0, true)) {
            browser.get(runtime.url("/?token=" + TOKEN));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> d.findElement(By.id("intercom-clients")).getText().equals("1 connected on port " + intercomPort));
            WebElement seconds = browser.findElement(By.cssSelector("#intercom-form input[name=seconds]"));
            seconds.clear();
            seconds.sendKeys("0.5");
            browser.findElement(By.cssSelector("#intercom-form button")).click();
            IntercomSocket.Clip clip = client.next(20);
            IntercomSocket.assertFormat(clip.wav(), 48000, 6, 24000);
            wait.until(d -> d.findElement(By.id("intercom-result")).getText()
                    .matches("clip " + clip.number() + ": " + Math.round(clip.wav().length / 1024.0) + " KiB \\(0\\.50 s\\) sent to 1 client"));
            assertEquals(List.of(), browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).map(Object::toString).toList());
        } finally {
            browser.quit();
        }
    }

    /** The saved clips, oldest first, once there are {@code count}. */
    private static List<Path> awaitFiles(Path folder, int count, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Path> files;
            try (Stream<Path> list = Files.list(folder)) {
                files = list.filter(p -> p.toString().endsWith(".wav")).sorted((x, y) -> {
                    try {
                        return Files.getLastModifiedTime(x).compareTo(Files.getLastModifiedTime(y));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
            }
            if (files.size() >= count) return files;
            if (System.nanoTime() > deadline) throw new AssertionError(count + " clips not saved: " + files + "; " + Files.readString(log));
            Thread.sleep(100);
        }
    }
}
