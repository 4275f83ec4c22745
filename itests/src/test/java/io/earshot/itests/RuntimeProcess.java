package io.earshot.itests;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import static org.junit.Assume.assumeTrue;

/**
 * The runtime as a user runs it: a copy of the built distribution started with
 * {@code bin/earshot} on a free port, and a headless Chromium to look at it.
 */
final class RuntimeProcess implements AutoCloseable {

    static final Path TARGET = Paths.get(System.getProperty("earshot.itest.dir")).getParent();

    private static final ObjectMapper JSON = new ObjectMapper();
    final Path home;
    final int port;
    final String token;
    private final String[] options;
    private final Process process;

    private RuntimeProcess(Path home, int port, String token, String[] options, Process process) {
        this.home = home;
        this.port = port;
        this.token = token;
        this.options = options;
        this.process = process;
    }

    static RuntimeProcess start(String token) throws Exception {
        return start(token, 0, java.util.Map.of());
    }

    /**
     * @param port 0 for a free one
     * @param conf files written into conf/ before the start (name to content)
     * @param options more options for bin/earshot ({@code --intercom})
     */
    static RuntimeProcess start(String token, int port, java.util.Map<String, String> conf, String... options) throws Exception {
        Path home = TARGET.resolve("browser-it/earshot-" + System.nanoTime());
        copy(Paths.get(System.getProperty("earshot.dist.dir")), home);
        for (var file : conf.entrySet()) {
            Files.writeString(home.resolve("conf").resolve(file.getKey()), file.getValue());
        }
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        }
        return launch(home, port, token, options);
    }

    /** The runtime started again in the same home (its conf/, plugins/ and data/), on the same port. */
    RuntimeProcess restart() throws Exception {
        if (process.isAlive()) throw new IllegalStateException("the runtime still runs: close it first");
        return launch(home, port, token, options);
    }

    private static RuntimeProcess launch(Path home, int port, String token, String... options) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(home.resolve("bin/earshot").toString(), "--port", String.valueOf(port)));
        command.addAll(java.util.List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("earshot.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("EARSHOT_TOKEN", token);
        RuntimeProcess runtime = new RuntimeProcess(home, port, token, options, builder.start());
        runtime.awaitHttp("/api/status", 60);
        runtime.awaitHttp("/", 30);
        // the dashboard and the handler types start after the stream: wait for the last of them
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String status = runtime.awaitHttp("/api/status", 5); !status.contains("base:spectrogram") || !status.contains("base:audio");
                status = runtime.awaitHttp("/api/status", 5)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the handler types did not start");
            Thread.sleep(200);
        }
        runtime.awaitHttp("/api/recordings", 30); // the recorder starts with the handler types, after the stream
        return runtime;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the process ended within the time. */
    boolean awaitExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL (bin/earshot execs the JVM, so this is the JVM): nothing of the runtime runs after it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("the runtime survived SIGKILL");
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** The body of a GET once it answers 200; fails with the runtime's log if it never does. */
    /**
     * The JSON at {@code path} once {@code wanted} holds for it, asked every 300 ms for at most
     * 30 s; else fails with the last answer and the runtime's log.
     */
    JsonNode awaitJson(String path, String what, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode answer = JSON.readTree(awaitHttp(path, 10));
            if (wanted.test(answer)) return answer;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 30 s on " + path + "; last: " + answer + "\nlog:\n"
                        + Files.readString(home.resolve("earshot.log")));
            }
            Thread.sleep(300);
        }
    }

    String awaitHttp(String path, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) return response.body();
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the runtime did not serve " + path + ": " + Files.readString(home.resolve("earshot.log")));
            }
            Thread.sleep(200);
        }
    }

    /** Headless Chromium (Debian's, through chromedriver) keeping the browser's console log, with {@code moreArguments}. */
    static ChromeDriver browser(String... moreArguments) throws IOException {
        boolean installed = new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("chromium and chromium-driver are not installed; .ci/run installs them");
        }
        assumeTrue("chromium / chromedriver not installed: browser tests skipped", installed);
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory(TARGET, "chromium-profile"));
        options.addArguments(moreArguments);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(options);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
