package io.earshot.itests;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.Assume.assumeTrue;

/**
 * Headless Firefox driven over WebDriver BiDi, which Firefox speaks itself
 * ({@code --remote-debugging-port}): no geckodriver needed. Just what the webapp test uses:
 * open a page, evaluate a script, and collect the page's console errors.
 */
final class FirefoxBidi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process firefox;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private String context;

    private FirefoxBidi(Process firefox, WebSocket socket) {
        this.firefox = firefox;
        this.socket = socket;
    }

    /** @param environment added to Firefox's (e.g. PULSE_SERVER: headless Firefox plays audio only through a server) */
    static FirefoxBidi start(Path profileParent, Map<String, String> environment) throws Exception {
        boolean installed = new File("/usr/bin/firefox-esr").canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("firefox-esr is not installed; .ci/run installs it");
        }
        assumeTrue("firefox-esr not installed: the Firefox test is skipped", installed);
        Path profile = Files.createTempDirectory(profileParent, "firefox-profile");
        Path log = profile.resolve("firefox.log");
        // the test plays audio without a person's click, as the page's Listen button would after one
        Files.writeString(profile.resolve("user.js"), "user_pref(\"media.autoplay.default\", 0);\n"
                + "user_pref(\"media.autoplay.blocking_policy\", 0);\n");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/firefox-esr", "--headless", "--no-remote", "--profile", profile.toString(),
                "--remote-debugging-port", "0", "--width", "1280", "--height", "900")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process firefox = builder.start();
        // Firefox prints "WebDriver BiDi listening on ws://127.0.0.1:PORT"
        String endpoint = null;
        for (int i = 0; i < 300 && endpoint == null; i++) {
            Thread.sleep(100);
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf("WebDriver BiDi listening on ");
                if (at >= 0) endpoint = line.substring(at + "WebDriver BiDi listening on ".length()).trim();
            }
            if (!firefox.isAlive()) break;
        }
        if (endpoint == null) {
            firefox.destroyForcibly();
            throw new AssertionError("Firefox did not open WebDriver BiDi: " + Files.readString(log));
        }
        FirefoxBidi[] self = new FirefoxBidi[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(endpoint + "/session"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String text = partial.toString();
                            partial.setLength(0);
                            self[0].received(text);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        FirefoxBidi bidi = new FirefoxBidi(firefox, socket);
        self[0] = bidi;
        bidi.call("session.new", Map.of("capabilities", Map.of()));
        bidi.call("session.subscribe", Map.of("events", List.of("log.entryAdded")));
        bidi.context = bidi.call("browsingContext.getTree", Map.of()).at("/result/contexts/0/context").asText();
        return bidi;
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                if (answer != null) answer.complete(message);
            } else if ("log.entryAdded".equals(message.path("method").asText())
                    && "error".equals(message.at("/params/level").asText())) {
                consoleErrors.add(message.at("/params/text").asText());
            }
        } catch (IOException e) {
            consoleErrors.add("unreadable BiDi message: " + text);
        }
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).get(10, TimeUnit.SECONDS);
        JsonNode result = answer.get(30, TimeUnit.SECONDS);
        if ("error".equals(result.path("type").asText())) {
            throw new AssertionError(method + " failed: " + result);
        }
        return result;
    }

    void open(String url) throws Exception {
        call("browsingContext.navigate", Map.of("context", context, "url", url, "wait", "complete"));
    }

    /** The value of a JavaScript expression in the page (awaited if it is a promise), as text. */
    String evaluate(String expression) throws Exception {
        JsonNode result = call("script.evaluate", Map.of("expression", expression, "awaitPromise", true,
                "target", Map.of("context", context)));
        if (!"success".equals(result.at("/result/type").asText())) {
            throw new AssertionError("script failed: " + result.at("/result/exceptionDetails/text").asText());
        }
        return result.at("/result/result/value").asText();
    }

    @Override
    public void close() throws Exception {
        try {
            call("session.end", Map.of());
        } catch (Exception | AssertionError e) {
            // closing anyway
        }
        socket.abort();
        firefox.destroy();
        if (!firefox.waitFor(10, TimeUnit.SECONDS)) firefox.destroyForcibly();
    }
}
