package io.earshot.source.alsa.internal;

import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JACK server with the dummy backend (8 capture ports, 48 kHz, real-time paced, no sound
 * card), started and stopped by the test that needs it. The server name comes from
 * {@code JACK_DEFAULT_SERVER}, which the build sets for the test JVM so that the jack PCM inside
 * libasound connects to this server and no other.
 * <p>
 * Where jackd is not installed the tests are skipped, except on CI (CI=true), where that is a
 * failure: {@code .ci/run} installs it.
 */
final class JackServer implements AutoCloseable {

    private final Process process;

    private JackServer(Process process) {
        this.process = process;
    }

    static JackServer start(Path logDir) throws IOException, InterruptedException {
        String server = System.getenv("JACK_DEFAULT_SERVER");
        boolean installed = new File("/usr/bin/jackd").canExecute() && new File("/usr/bin/jack_wait").canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("jackd2 is not installed; .ci/run installs it (apt-get install jackd2 libasound2-plugins)");
        }
        assumeTrue("jackd is not installed (apt-get install jackd2 libasound2-plugins): JACK tests skipped", installed);
        if (server == null) {
            throw new IllegalStateException("JACK_DEFAULT_SERVER is not set: run the tests through Maven, which sets it");
        }
        Path log = Files.createTempFile(logDir, "jackd-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("jackd", "--no-realtime", "-n", server,
                "-d", "dummy", "-r", "48000", "-p", "1024", "-C", "8", "-P", "8"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JACK_NO_AUDIO_RESERVATION", "1");
        Process jackd = builder.start();
        Process wait = new ProcessBuilder("jack_wait", "-w", "-t", "10").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!wait.waitFor(15, TimeUnit.SECONDS) || wait.exitValue() != 0 || !jackd.isAlive()) {
            wait.destroyForcibly();
            jackd.destroyForcibly();
            throw new IllegalStateException("jackd did not come up: " + Files.readString(log));
        }
        return new JackServer(jackd);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
