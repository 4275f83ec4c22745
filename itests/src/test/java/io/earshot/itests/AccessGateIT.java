package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The access gate as an attacker meets it: a page of another site open in the user's browser
 * (real headless Chromium; the other site is a second HTTP server on another port), a foreign
 * {@code Host} header (DNS rebinding), a flood of sockets without the token. The runtime is
 * started as a user starts it, with easy-dsp's classic ports switched on.
 */
public class AccessGateIT {

    private static final String TOKEN = "gate-itest-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tries every endpoint a page could use to hear the room; answers one word per try. */
    private static final String PROBE = """
            const [port, token, audio, config, done] = arguments;
            const socket = url => new Promise(resolve => {
              const ws = new WebSocket(url);
              const timer = setTimeout(() => resolve("no answer"), 8000);
              ws.onopen = () => { clearTimeout(timer); ws.close(); resolve("open"); };
              ws.onerror = () => { clearTimeout(timer); resolve("refused"); };
            });
            const read = url => fetch(url).then(r => r.ok ? "open" : "status " + r.status, () => "refused");
            Promise.all([
              socket(`ws://127.0.0.1:${port}/ws/audio`),
              socket(`ws://127.0.0.1:${port}/ws/ui?token=${token}`),
              socket(`ws://127.0.0.1:${port}/ws/config?token=${token}`),
              socket(`ws://127.0.0.1:${audio}/`),
              socket(`ws://127.0.0.1:${config}/`),
              read(`http://127.0.0.1:${port}/api/status`)
            ]).then(done);
            """;

    private static RuntimeProcess runtime;
    private static ChromeDriver browser;
    private static HttpServer elsewhere;
    private static int audioPort;
    private static int configPort;

    @BeforeClass
    public static void start() throws Exception {
        browser = RuntimeProcess.browser();
        audioPort = freePort();
        configPort = freePort();
        runtime = RuntimeProcess.start(TOKEN, 0, Map.of(
                "io.earshot.classic.cfg", "enabled=true\n",
                "io.earshot.bridge.audio.cfg", "earshot.classic.port=" + audioPort + "\nmaxClients=40\n",
                "io.earshot.bridge.config.cfg", "earshot.classic.port=" + configPort + "\n"));
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>another site</title><p>nothing here".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        elsewhere.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (elsewhere != null) elsewhere.stop(0);
        if (runtime != null) runtime.close();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> probe() {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return (List<String>) ((JavascriptExecutor) browser).executeAsyncScript(PROBE, runtime.port, TOKEN, audioPort, configPort);
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(runtime.awaitHttp("/api/status", 5));
    }

    @Test
    public void aPageOfAnotherSiteHearsNothingAndEarshotsOwnPageEverything() throws Exception {
        long refusedBefore = status().at("/access/refused/origin_or_host").asLong();
        browser.get("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/");
        assertEquals("audio, dashboard, config, classic audio, classic config, status",
                List.of("refused", "refused", "refused", "refused", "refused", "refused"), probe());
        // a cross-origin fetch fails in the browser anyway (no CORS headers): the gate's count shows it refused it too
        long refused = status().at("/access/refused/origin_or_host").asLong() - refusedBefore;
        assertTrue("refused by Origin, four on the HTTP port and two on the classic ports: " + refused, refused >= 6);

        browser.get(runtime.url("/?token=" + TOKEN));
        assertEquals(List.of("open", "open", "open", "open", "open", "open"), probe());
    }

    @Test
    public void aForeignHostHeaderIsRefused() throws Exception {
        assertTrue(rawGet("evil.example:" + runtime.port).startsWith("HTTP/1.1 403 "));
        assertTrue(rawGet("localhost:" + runtime.port).startsWith("HTTP/1.1 200 "));
        assertTrue(rawGet("127.0.0.1").startsWith("HTTP/1.1 200 "));
    }

    /** The status line of a request with the token, this {@code Host} and, when not null, this {@code Origin}. */
    private static String statusLine(String method, String path, String host, String origin) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", runtime.port)) {
            socket.setSoTimeout(5000);
            String body = method.equals("POST") ? "{}" : "";
            String request = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + (body.isEmpty() ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n")
                    + "Connection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.substring(0, Math.max(0, answer.indexOf("\r\n")));
        }
    }

    @Test
    public void theEndpointsAddedSinceAreBehindTheGateToo() throws Exception {
        String here = "127.0.0.1:" + runtime.port;
        for (String[] endpoint : List.of(new String[] {"GET", "/api/source"}, new String[] {"GET", "/api/recordings"},
                new String[] {"GET", "/api/devices"}, new String[] {"POST", "/api/intercom/send"}, new String[] {"GET", "/ws/ingest"},
                new String[] {"POST", "/api/recordings"}, new String[] {"POST", "/api/source"},
                // another stream than main is the same endpoint to the gate: its rules go by path
                new String[] {"GET", "/api/source?stream=main"})) {
            String what = endpoint[0] + " " + endpoint[1];
            assertTrue(what + " from another site", statusLine(endpoint[0], endpoint[1], here, "http://evil.example").startsWith("HTTP/1.1 403 "));
            assertTrue(what + " for a foreign host", statusLine(endpoint[0], endpoint[1], "evil.example:" + runtime.port, null).startsWith("HTTP/1.1 403 "));
            assertFalse(what + " from this machine with the token", statusLine(endpoint[0], endpoint[1], here, null).startsWith("HTTP/1.1 403 "));
        }
    }

    /** The status line and body of {@code GET /api/status} sent with this {@code Host} header. */
    private static String rawGet(String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", runtime.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/status HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (host.startsWith("evil")) {
                assertTrue(answer, answer.contains("is not one this runtime answers to"));
            }
            return answer;
        }
    }

    @Test
    public void socketsWithoutTheTokenCannotLockOutTheWebapp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 200; i++) {
            assertEquals("dashboard without the token", 401, handshakeStatus(http, "/ws/ui"));
        }
        // the audio stream is open without the token on loopback, but not all of it: 40 places, 10 kept for the token
        List<WebSocket> open = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            try {
                open.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/ws/audio"),
                        new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                refused++;
            }
        }
        try {
            assertEquals("audio clients without the token", 30, open.size());
            assertEquals(10, refused);
            browser.get(runtime.url("/?token=" + TOKEN));
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> String.valueOf(((JavascriptExecutor) d).executeScript(
                    "return document.querySelector('#connection').classList.contains('on')"
                            + " && document.querySelector('#console').textContent.includes('dashboard connected')")).equals("true"));
            assertEquals(31, status().at("/audio_clients/connected").asInt());
        } finally {
            open.forEach(WebSocket::abort);
        }
    }

    @Test
    public void aPageWithoutTheTokenSaysWhatToOpen() {
        browser.get(runtime.url("/"));
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(runtime.url("/"));
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> String.valueOf(((JavascriptExecutor) d).executeScript(
                "const n = document.querySelector('#access-notice'); return !n.hidden && n.textContent")).contains("has no access token"));
    }

    @Test
    public void uploadsAsCurlSendsThemWorkAndBadOnesGetAReasonNotAStackTrace() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        byte[] jar = PluginJars.build("io.earshot.itests.gate.upload", "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\""
                + " name=\"gate-upload\"><implementation class=\"" + io.earshot.itests.plugin.CountingListener.class.getName() + "\"/>"
                + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service></scr:component>",
                io.earshot.itests.plugin.CountingListener.class);
        URI uploads = URI.create(runtime.url("/api/plugins?name=gate-upload.jar"));
        // without the token: refused before any servlet reads the body, with or without a content type
        for (String type : new String[] {null, "application/x-www-form-urlencoded"}) {
            HttpResponse<String> refused = http.send(post(uploads, jar, type, null), HttpResponse.BodyHandlers.ofString());
            assertEquals(refused.body(), 401, refused.statusCode());
            assertTrue(refused.body(), refused.body().contains("needs the access token"));
        }
        // with it: curl's --data-binary sends the jar as a form (its default type); the jar is taken as it is
        HttpResponse<String> form = http.send(post(uploads, jar, "application/x-www-form-urlencoded", TOKEN), HttpResponse.BodyHandlers.ofString());
        assertEquals(form.body(), 202, form.statusCode());
        HttpResponse<String> untyped = http.send(post(uploads, jar, null, TOKEN), HttpResponse.BodyHandlers.ofString());
        assertEquals(untyped.body(), 202, untyped.statusCode());
        HttpResponse<String> large = http.send(post(URI.create(runtime.url("/ws/config")), new byte[100_000], null, TOKEN),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(large.body(), 413, large.statusCode());
        String log = java.nio.file.Files.readString(runtime.home.resolve("earshot.log"));
        assertTrue("no stack trace in the log:\n" + log, !log.contains("\tat org.eclipse.jetty") && !log.contains("\tat io.earshot"));
    }

    private static HttpRequest post(URI uri, byte[] body, String type, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) request.header("Content-Type", type);
        if (token != null) request.header("Authorization", "Bearer " + token);
        return request.build();
    }

    private static int handshakeStatus(HttpClient http, String path) {
        try {
            http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + path), new WebSocket.Listener() { })
                    .orTimeout(10, TimeUnit.SECONDS).join().abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }
}
