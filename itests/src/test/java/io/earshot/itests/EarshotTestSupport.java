package io.earshot.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.Configuration;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Boots exactly the bundles of the distribution's runtime jar, in its start order, with its
 * framework properties, on a free port and in folders of the test's own.
 */
public abstract class EarshotTestSupport {

    static final String TOKEN = "itest-token-0123456789abcdef";
    static final String PORT = "earshot.itest.port";
    static final String HOME = "earshot.itest.home";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected BundleContext context;

    protected final HttpClient http = HttpClient.newHttpClient();

    @Configuration
    public Option[] configuration() throws IOException {
        Path home = Paths.get(System.getProperty("earshot.itest.dir")).resolve("run-" + System.nanoTime());
        Path runtime = unpack(Paths.get(System.getProperty("earshot.runtime.jar")), home.resolve("runtime"));
        Path data = Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("plugins"));
        Files.writeString(data.resolve("token"), TOKEN);

        Properties launcher = new Properties();
        try (InputStream in = Files.newInputStream(runtime.resolve("launcher.properties"))) {
            launcher.load(in);
        }
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        options.add(systemTimeout(60_000));
        options.add(junitBundles());
        for (String name : launcher.stringPropertyNames()) {
            if (!name.startsWith("launch.") && !name.startsWith("org.osgi.framework.startlevel")) {
                options.add(frameworkProperty(name).value(launcher.getProperty(name)));
            }
        }
        String port = String.valueOf(freePort());
        options.add(frameworkProperty("org.osgi.service.http.port").value(port));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(home.resolve("conf") + "," + home.resolve("plugins")));
        options.add(frameworkProperty("earshot.plugins").value(home.resolve("plugins").toString()));
        options.add(frameworkProperty("felix.cm.dir").value(data.resolve("config").toString()));
        options.add(frameworkProperty("earshot.data").value(data.toString()));
        options.add(frameworkProperty("gosh.args").value("--nointeractive --noshutdown"));
        options.add(frameworkProperty("gosh.home").value(
                Paths.get(System.getProperty("earshot.dist.dir")).resolve("lib/batch-shell").toString()));
        options.add(frameworkProperty(PORT).value(port));
        options.add(frameworkProperty(HOME).value(home.toString()));
        options.add(frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        for (Path jar : inStartOrder(runtime, launcher)) {
            // the test JVM has no terminal, and jline's providers clash with the test class path
            if (jar.toString().contains("gogo.jline") || jar.getFileName().toString().startsWith("jline-")) continue;
            options.add(bundle(jar.toUri().toString()));
        }
        return options.toArray(new Option[0]);
    }

    /**
     * The runtime's bundles in the order the launcher starts them: by start level, then as listed.
     * Pax Exam starts them in the order given, and some must come first (the weaving scope's
     * hooks before SPI Fly).
     */
    private static List<Path> inStartOrder(Path runtime, Properties launcher) throws IOException {
        Map<String, Integer> levels = new HashMap<>();
        Matcher attrs = Pattern.compile("([^,;]+);version=\"[^\"]*\";startlevel=(\\d+)")
                .matcher(launcher.getProperty("launch.runbundles.attrs"));
        while (attrs.find()) {
            levels.put(attrs.group(1).trim(), Integer.parseInt(attrs.group(2)));
        }
        List<Path> jars = new ArrayList<>();
        Map<Path, Integer> jarLevels = new HashMap<>();
        for (String name : launcher.getProperty("launch.bundles").split(",")) {
            Path jar = runtime.resolve(name.trim());
            String bsn;
            try (JarFile file = new JarFile(jar.toFile())) {
                bsn = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
            }
            Integer level = levels.get(bsn);
            if (level == null) throw new IOException("no start level for " + bsn + " in launch.runbundles.attrs");
            jars.add(jar);
            jarLevels.put(jar, level);
        }
        jars.sort(Comparator.comparing(jarLevels::get)); // stable: same level keeps the listed order
        return jars;
    }

    private static Path unpack(Path jar, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.isDirectory()) continue;
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) throw new IOException("entry outside the folder: " + entry.getName());
                Files.createDirectories(target.getParent());
                Files.copy(zip, target);
            }
        }
        return into;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    protected String base() {
        return "127.0.0.1:" + context.getProperty(PORT);
    }

    protected Path home() {
        return Paths.get(context.getProperty(HOME));
    }

    protected URI ws(String pathAndQuery) {
        return URI.create("ws://" + base() + pathAndQuery);
    }

    protected HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + base() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets keys of a ConfigAdmin configuration, keeping its other keys. */
    protected void configure(String pid, String... keyValues) throws IOException {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = context.getService(ref);
        try {
            org.osgi.service.cm.Configuration configuration = admin.getConfiguration(pid, "?");
            Dictionary<String, Object> properties = configuration.getProperties() == null
                    ? new Hashtable<>() : configuration.getProperties();
            for (int i = 0; i < keyValues.length; i += 2) {
                properties.put(keyValues[i], keyValues[i + 1]);
            }
            configuration.update(properties);
        } finally {
            context.ungetService(ref);
        }
    }

    /** A line run through the runtime's Gogo shell, as a user types it; what it returns, as text. */
    protected String shell(String line) throws Exception {
        ServiceReference<CommandProcessor> reference = context.getServiceReference(CommandProcessor.class);
        PrintStream print = new PrintStream(new ByteArrayOutputStream(), true);
        try (CommandSession session = context.getService(reference).createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            return String.valueOf(session.execute(line));
        } finally {
            context.ungetService(reference);
        }
    }

    protected JsonNode status() throws IOException {
        HttpResponse<String> response = get("/api/status");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/status: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Every handler type of the runtime installed: they start after the stream, so a plugin dropped in at once may miss them. */
    protected void awaitHandlerTypes() throws InterruptedException {
        await("the handler types", 30, () -> safely(() -> {
            String types = status().at("/dashboard/types").toString();
            return java.util.stream.Stream.of("base:graph:line", "base:polar:area", "base:heatmap", "base:spectrogram", "base:audio")
                    .allMatch(types::contains);
        }));
    }

    /** Polls until the condition holds; fails with {@code what} after {@code seconds}. */
    protected static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    protected static boolean safely(java.util.concurrent.Callable<Boolean> check) {
        try {
            return check.call();
        } catch (Exception e) {
            return false;
        }
    }
}
