package io.earshot.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.Assume.assumeTrue;

/**
 * Debian's Mosquitto broker, our own instance on a free loopback port with its own config file
 * (and password file), started, killed and started again on the same port; and its command-line
 * clients as the other side.
 */
final class Mosquitto implements AutoCloseable {

    final int port;
    private final Path dir;
    private Process broker;
    private final List<Process> clients = new ArrayList<>();

    /** @param user with {@code password}: only that login is accepted; null: anonymous */
    Mosquitto(Path dir, String user, String password) throws Exception {
        this(dir, user, password, "");
    }

    /**
     * A broker that speaks only TLS, with a certificate for 127.0.0.1 signed by a CA of its own
     * (made with openssl), anonymous.
     */
    static Mosquitto tls(Path dir, Path caCertificate, Path certificate, Path key) throws Exception {
        return new Mosquitto(dir, null, null, "cafile " + caCertificate + "\ncertfile " + certificate + "\nkeyfile " + key + "\n");
    }

    private Mosquitto(Path dir, String user, String password, String listenerOptions) throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) && Files.isExecutable(Path.of("/usr/bin/mosquitto_sub"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("mosquitto and mosquitto-clients are not installed; .ci/run installs them");
        }
        assumeTrue("mosquitto / mosquitto-clients not installed: MQTT tests skipped", installed);
        this.dir = Files.createDirectories(dir);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // started as root, mosquitto would become the user mosquitto, who cannot read the test's key files
        StringBuilder conf = new StringBuilder("listener " + port + " 127.0.0.1\n" + listenerOptions + "persistence false\n"
                + "user " + System.getProperty("user.name") + "\n");
        if (user == null) {
            conf.append("allow_anonymous true\n");
        } else {
            Path passwords = dir.resolve("passwords");
            run("mosquitto_passwd", "-b", "-c", passwords.toString(), user, password);
            conf.append("allow_anonymous false\npassword_file ").append(passwords).append('\n');
        }
        Files.writeString(dir.resolve("mosquitto.conf"), conf);
        start();
    }

    void start() throws Exception {
        broker = new ProcessBuilder("/usr/sbin/mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!broker.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    long pid() {
        return broker.pid();
    }

    /** SIGKILL: the broker goes away without a word. */
    void kill() throws InterruptedException {
        broker.destroyForcibly();
        broker.waitFor(10, TimeUnit.SECONDS);
    }

    /** mosquitto_sub on {@code topics}: every message as "topic payload", in a queue. */
    BlockingQueue<String> subscribe(String user, String password, String... topics) throws IOException {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-p", String.valueOf(port), "-V", "5", "-v"));
        if (user != null) command.addAll(List.of("-u", user, "-P", password));
        for (String topic : topics) command.addAll(List.of("-t", topic));
        Process sub = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        clients.add(sub);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            } catch (IOException ended) {
                // the subscriber was closed
            }
        }, "mosquitto_sub");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    void publish(String user, String password, String topic, String message) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-p", String.valueOf(port), "-t", topic, "-m", message));
        if (user != null) command.addAll(List.of("-u", user, "-P", password));
        run(command.toArray(String[]::new));
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process client : clients) client.destroyForcibly();
        if (broker != null) kill();
    }
}
