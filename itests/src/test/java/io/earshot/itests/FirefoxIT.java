package io.earshot.itests;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;

/** The webapp in Firefox (Debian's firefox-esr, headless, over WebDriver BiDi). */
public class FirefoxIT {

    private static final String TOKEN = "firefox-itest-token-0123456789";

    private static String waitFor(FirefoxBidi firefox, String expression, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String value = "";
        while (System.nanoTime() < deadline) {
            value = firefox.evaluate(expression);
            if (value.equals("true")) return value;
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + expression + " (last: " + value + "); page errors: "
                + firefox.consoleErrors + "; listen status: " + firefox.evaluate("document.querySelector('#listen-status').textContent")
                + "; console: " + firefox.evaluate("document.querySelector('#console').textContent.slice(-600)"));
    }

    /** Headless Firefox plays audio only through a sound server: a PulseAudio null sink of the test's own. */
    private static Process pulseAudio(Path dir) throws Exception {
        boolean installed = new java.io.File("/usr/bin/pulseaudio").canExecute();
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("pulseaudio is not installed; .ci/run installs it");
        }
        org.junit.Assume.assumeTrue("pulseaudio not installed: the Firefox test is skipped", installed);
        ProcessBuilder builder = new ProcessBuilder("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                "--disallow-exit", "--use-pid-file=no", "--log-target=stderr", "-L", "module-null-sink sink_name=earshot",
                "-L", "module-native-protocol-unix socket=" + dir.resolve("native") + " auth-anonymous=1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("pulseaudio.log").toFile());
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("PULSE_RUNTIME_PATH", dir.toString());
        Process pulse = builder.start();
        for (int i = 0; i < 100 && !Files.exists(dir.resolve("native")); i++) Thread.sleep(100);
        if (!Files.exists(dir.resolve("native"))) {
            pulse.destroyForcibly();
            throw new AssertionError("pulseaudio did not start: " + Files.readString(dir.resolve("pulseaudio.log")));
        }
        return pulse;
    }

    @Test
    public void theWebappRunsInFirefox() throws Exception {
        Path sound = Files.createDirectories(RuntimeProcess.TARGET.resolve("firefox-pulse-" + System.nanoTime()));
        Process pulse = pulseAudio(sound);
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN);
             FirefoxBidi firefox = FirefoxBidi.start(RuntimeProcess.TARGET, Map.of("PULSE_SERVER", "unix:" + sound.resolve("native")))) {
            firefox.open(runtime.url("/?token=" + TOKEN));
            waitFor(firefox, "String(document.querySelector('#summary').textContent.includes('48000 Hz · 6 ch'))", 20);
            waitFor(firefox, "String(document.querySelectorAll('#meters .meter').length === 6)", 10);
            waitFor(firefox, "String(/latency \\d+ ms/.test(document.querySelector('#latency').textContent))", 10);
            // the waveform canvas drew
            waitFor(firefox, "String((() => { const c = document.querySelector('#waveform'); if (!c.width) return false;"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; })())", 10);
            // the config form: a refusal shows the server's reason
            firefox.evaluate("(() => { const f = document.querySelector('#config-form'); f.buffer_frames.value = 10;"
                    + " f.requestSubmit(); return 'sent'; })()");
            waitFor(firefox, "String(document.querySelector('#config-result').textContent.includes('allowed: 64..65536'))", 10);
            // Listen plays through the AudioWorklet
            firefox.evaluate("(() => { document.querySelector('#listen').click(); return 'clicked'; })()");
            waitFor(firefox, "String(/^playing .* · buffered \\d+ ms · underruns \\d+ · skipped \\d+ frames$/"
                    + ".test(document.querySelector('#listen-status').textContent))", 10);
            assertEquals("[]", String.valueOf(firefox.consoleErrors));
        } finally {
            pulse.destroy();
            pulse.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
