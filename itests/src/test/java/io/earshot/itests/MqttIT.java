package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.earshot.itests.plugin.EventPlugin;

/**
 * The MQTT side against a real broker: Debian's Mosquitto on a free port, a runtime started as a
 * user starts it, mosquitto_sub and mosquitto_pub as the user's tools. One runtime, in order: a
 * wrong password shown in the status, the right one taken from conf/ while running, the DOA
 * example's results on their topic, a plugin's events, the retained status and Home Assistant's
 * discovery for a late subscriber, config/set changing the stream and a bad one answered with
 * its reason, the broker killed and started again (the stream never stops, Earshot publishes
 * again), and the last will when Earshot dies. Then a runtime with a second stream: its own
 * retained status, sensors and config/set, and its topics cleared when its configuration goes.
 * Then a runtime and a TLS-only broker with a CA of its own: refused without the trust store,
 * connected with it.
 */
public class MqttIT {

    private static final String TOKEN = "mqtt-it-token-0123456789abcdef";
    private static final String USER = "earshot";
    private static final String PASSWORD = "right-password";
    private static final String PREFIX = "earshot/itest/main";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Mosquitto broker;
    private static RuntimeProcess runtime;

    @BeforeClass
    public static void start() throws Exception {
        broker = new Mosquitto(RuntimeProcess.TARGET.resolve("mqtt-it/broker-" + System.nanoTime()), USER, PASSWORD);
        runtime = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.mqtt.cfg", config("wrong-password")));
    }

    private static String config(String password) {
        return "broker=tcp://127.0.0.1:" + broker.port + "\nusername=" + USER + "\npassword=" + password
                + "\nnode=itest\ncommands=true\n";
    }

    @AfterClass
    public static void stop() throws Exception {
        if (runtime != null) runtime.close();
        if (broker != null) broker.close();
    }

    private static JsonNode status() throws Exception {
        return status(runtime);
    }

    private static JsonNode status(RuntimeProcess on) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(on.url("/api/status"))).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitStatus(String what, int seconds, Predicate<JsonNode> condition) throws Exception {
        return awaitStatus(runtime, what, seconds, condition);
    }

    private static JsonNode awaitStatus(RuntimeProcess on, String what, int seconds, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode status = status(on);
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": " + status.path("mqtt"));
            Thread.sleep(200);
            status = status(on);
        }
        return status;
    }

    /** The next message on {@code topic} (lines of other topics are skipped: one subscription per topic read). */
    private static JsonNode next(BlockingQueue<String> lines, String topic, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(topic + " ")) return JSON.readTree(line.substring(topic.length() + 1));
        }
        throw new AssertionError("nothing on " + topic + " within " + seconds + " s");
    }

    @Test
    public void resultsStatusAndCommandsGoThroughTheBrokerThroughItsAbsenceAndALogin() throws Exception {
        // a wrong password: refused by the broker, said in the status; the stream runs anyway
        JsonNode refused = awaitStatus("the refused login", 30, s -> s.at("/mqtt/last_error").asText().contains("refused"));
        System.out.println("MQTT-WRONG-PASSWORD " + refused.at("/mqtt/last_error").asText());
        assertFalse(refused.at("/mqtt/connected").asBoolean());
        assertTrue(refused.at("/mqtt/last_error").asText(), refused.at("/mqtt/last_error").asText().contains("BAD_USER_NAME_OR_PASSWORD")
                || refused.at("/mqtt/last_error").asText().contains("NOT_AUTHORIZED"));
        assertEquals("running", refused.at("/stream/capture/state").asText());

        // the right one, written into conf/ while the runtime runs
        Files.writeString(runtime.home.resolve("conf/io.earshot.mqtt.cfg"), config(PASSWORD));
        awaitStatus("connected with the right password", 30, s -> s.at("/mqtt/connected").asBoolean());

        // the DOA example's results on their topic, as browsers get them
        BlockingQueue<String> handlers = broker.subscribe(USER, PASSWORD, PREFIX + "/handlers/#");
        Path doa = Paths.get(System.getProperty("earshot.examples.dir")).resolve("doa/target/io.earshot.examples.doa-0.1.0-SNAPSHOT.jar");
        assertTrue("built by plugins-examples: " + doa, Files.isRegularFile(doa));
        Files.copy(doa, runtime.home.resolve("plugins/doa.jar"));
        JsonNode spectrum = next(handlers, PREFIX + "/handlers/direction-of-arrival", 30);
        assertTrue("a polar plot's data: " + spectrum, spectrum.isArray() && spectrum.get(0).path("replace").size() > 0);
        next(handlers, PREFIX + "/handlers/direction-of-arrival", 5);

        // a plugin's own events, under its name; a bad topic refused with the rule
        BlockingQueue<String> events = broker.subscribe(USER, PASSWORD, PREFIX + "/events/#");
        Files.write(runtime.home.resolve("plugins/events.jar"), PluginJars.buildImporting("io.earshot.itest.events",
                "io.earshot.api.results;version=\"[1.0,2)\"",
                "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"events\" init=\"1\" immediate=\"true\""
                        + " deactivate=\"close\"><implementation class=\"" + EventPlugin.class.getName() + "\"/>"
                        + "<reference name=\"events\" interface=\"io.earshot.api.results.EventPublisher\" parameter=\"0\"/>"
                        + "</scr:component>", EventPlugin.class));
        String eventTopic = PREFIX + "/events/io-earshot-itest-events/";
        assertTrue(next(events, eventTopic + "refusal", 30).path("error").asText().contains("levels of letters, digits, - and _"));
        assertTrue(next(events, eventTopic + "alarm/loud", 5).has("count"));

        // a late subscriber gets the retained status and availability at once
        BlockingQueue<String> late = broker.subscribe(USER, PASSWORD, PREFIX + "/status");
        BlockingQueue<String> lateAvailability = broker.subscribe(USER, PASSWORD, "earshot/itest/availability");
        JsonNode streamStatus = next(late, PREFIX + "/status", 5);
        assertEquals("running", streamStatus.path("state").asText());
        assertEquals("synthetic", streamStatus.at("/source/id").asText());
        assertEquals(48000, streamStatus.at("/config/rate").asInt());
        // availability is a plain word (Home Assistant's default payloads)
        assertTrue(pollLine(lateAvailability, "earshot/itest/availability online", 5));
        // Home Assistant's discovery: the board's sensors read the status topic
        BlockingQueue<String> discovery = broker.subscribe(USER, PASSWORD, "homeassistant/sensor/+/config");
        JsonNode rate = next(discovery, "homeassistant/sensor/earshot_itest_main_rate/config", 5);
        assertEquals(PREFIX + "/status", rate.path("state_topic").asText());
        assertEquals("earshot/itest/availability", rate.path("availability_topic").asText());

        // config/set with easy-dsp's JSON, the answers on config/result
        BlockingQueue<String> results = broker.subscribe(USER, PASSWORD, PREFIX + "/config/result");
        BlockingQueue<String> statuses = broker.subscribe(USER, PASSWORD, PREFIX + "/status");
        Thread.sleep(500); // the subscription in place before the requests
        broker.publish(USER, PASSWORD, PREFIX + "/config/set", "{\"rate\":16000}");
        JsonNode applied = next(results, PREFIX + "/config/result", 10);
        assertTrue(applied.toString(), applied.path("ok").asBoolean());
        assertEquals(16000, applied.at("/config/rate").asInt());
        assertEquals(16000, status().at("/stream/config/rate").asInt());
        broker.publish(USER, PASSWORD, PREFIX + "/config/set", "{\"rate\":44}");
        JsonNode bad = next(results, PREFIX + "/config/result", 10);
        assertFalse(bad.toString(), bad.path("ok").asBoolean());
        assertTrue(bad.toString(), bad.path("error").asText().contains("rate 44 is not supported"));
        broker.publish(USER, PASSWORD, PREFIX + "/config/set", "{\"rate\":48000,\"colour\":1}");
        JsonNode unknown = next(results, PREFIX + "/config/result", 10);
        assertTrue(unknown.toString(), unknown.path("error").asText().contains("unknown key 'colour'"));
        assertEquals(16000, status().at("/stream/config/rate").asInt());
        // the retained status follows the change
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (next(statuses, PREFIX + "/status", 10).at("/config/rate").asInt() != 16000) {
            assertTrue("the status topic shows rate 16000", System.nanoTime() < deadline);
        }

        // the broker killed: Earshot notices, counts what it cannot send, the stream goes on
        long buffersBefore = status().at("/stream/capture/buffers").asLong();
        broker.kill();
        JsonNode away = awaitStatus("the broker gone", 30, s -> !s.at("/mqtt/connected").asBoolean());
        Thread.sleep(3000);
        JsonNode meanwhile = status();
        assertEquals("running", meanwhile.at("/stream/capture/state").asText());
        assertTrue("the stream went on", meanwhile.at("/stream/capture/buffers").asLong() > buffersBefore);
        assertTrue("drops counted while away: " + meanwhile.path("mqtt"), meanwhile.at("/mqtt/dropped_offline").asLong() > 0);
        System.out.println("MQTT-BROKER-AWAY " + away.at("/mqtt/last_error").asText());

        // started again: Earshot reconnects (backoff), publishes again, the retained status is back
        broker.start();
        awaitStatus("reconnected", 60, s -> s.at("/mqtt/connected").asBoolean() && s.at("/mqtt/connects").asLong() >= 2);
        BlockingQueue<String> again = broker.subscribe(USER, PASSWORD, PREFIX + "/handlers/direction-of-arrival");
        BlockingQueue<String> statusAgain = broker.subscribe(USER, PASSWORD, PREFIX + "/status");
        next(again, PREFIX + "/handlers/direction-of-arrival", 10);
        assertEquals(16000, next(statusAgain, PREFIX + "/status", 10).at("/config/rate").asInt());
        JsonNode after = status();
        assertEquals("running", after.at("/stream/capture/state").asText());
        assertEquals("the stream was never reopened for the broker", meanwhile.at("/stream/capture/opens").asLong(),
                after.at("/stream/capture/opens").asLong());
        JsonNode doaListener = null;
        for (JsonNode listener : after.at("/stream/listeners")) {
            if (listener.path("name").asText().contains("doa")) doaListener = listener;
        }
        assertTrue("the doa plugin is fed: " + after.at("/stream/listeners"), doaListener != null && doaListener.path("delivered").asLong() > 0);
        System.out.println("MQTT-COUNTERS " + after.path("mqtt"));

        // the runtime killed: the broker says offline for it (the last will)
        BlockingQueue<String> availability = broker.subscribe(USER, PASSWORD, "earshot/itest/availability");
        assertTrue(pollLine(availability, "earshot/itest/availability online", 5));
        runtime.kill();
        assertTrue("the last will", pollLine(availability, "earshot/itest/availability offline", 20));
        runtime = null;
    }

    /** What comes on the subscription within {@code millis}, every line. */
    private static java.util.List<String> drain(BlockingQueue<String> lines, long millis) throws InterruptedException {
        java.util.List<String> got = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null) got.add(line);
        }
        return got;
    }

    /** An empty retained message, as mosquitto_sub -v prints it. */
    private static boolean cleared(String line, String topic) {
        return line.equals(topic + " (null)") || line.equals(topic + " ") || line.equals(topic);
    }

    @Test
    public void everyStreamHasItsOwnRetainedStatusSensorsAndCommandsAndAGoneOneIsCleared() throws Exception {
        String prefix = "earshot/streams";
        String second = prefix + "/array-2/status";
        String secondRate = "homeassistant/sensor/earshot_streams_array-2_rate/config";
        try (RuntimeProcess board = RuntimeProcess.start(TOKEN, 0, Map.of(
                "io.earshot.mqtt.cfg", "broker=tcp://127.0.0.1:" + broker.port + "\nusername=" + USER + "\npassword=" + PASSWORD
                        + "\nnode=streams\ncommands=true\n",
                "io.earshot.stream~array-2.cfg", "source=synthetic\nrate=16000\nchannels=4\nbuffer_frames=1600\n"))) {
            awaitStatus(board, "both streams published", 30, s -> s.at("/mqtt/connected").asBoolean()
                    && s.at("/mqtt/streams").toString().equals("[\"main\",\"array-2\"]")
                    && s.at("/streams/array-2/capture/state").asText().equals("running"));

            // each stream's status retained under its own id, main's where it always was
            BlockingQueue<String> statuses = broker.subscribe(USER, PASSWORD, prefix + "/+/status");
            JsonNode secondStatus = next(statuses, second, 10);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!secondStatus.path("state").asText().equals("running")) {
                assertTrue("the second stream's status says running: " + secondStatus, System.nanoTime() < deadline);
                secondStatus = next(statuses, second, 10);
            }
            assertEquals("array-2", secondStatus.path("stream").asText());
            assertEquals(16000, secondStatus.at("/config/rate").asInt());
            assertEquals(4, secondStatus.at("/config/channels").asInt());
            assertEquals("synthetic", secondStatus.at("/source/id").asText());
            BlockingQueue<String> mainStatuses = broker.subscribe(USER, PASSWORD, prefix + "/main/status");
            JsonNode mainStatus = next(mainStatuses, prefix + "/main/status", 5);
            assertEquals("main", mainStatus.path("stream").asText());
            assertEquals(48000, mainStatus.at("/config/rate").asInt());
            assertEquals(6, mainStatus.at("/config/channels").asInt());

            // Home Assistant: the second stream's sensors, on the same device, reading its own status
            Map<String, JsonNode> sensors = new java.util.HashMap<>();
            for (String line : drain(broker.subscribe(USER, PASSWORD, "homeassistant/sensor/+/config"), 2000)) {
                sensors.put(line.substring(0, line.indexOf(' ')), JSON.readTree(line.substring(line.indexOf(' ') + 1)));
            }
            JsonNode rate = sensors.get(secondRate);
            assertTrue(sensors.keySet().toString(), rate != null);
            assertEquals(second, rate.path("state_topic").asText());
            assertEquals("earshot_streams_array-2_rate", rate.path("unique_id").asText());
            JsonNode mainRate = sensors.get("homeassistant/sensor/earshot_streams_main_rate/config");
            assertTrue(sensors.keySet().toString(), mainRate != null);
            assertEquals(prefix + "/main/status", mainRate.path("state_topic").asText());
            assertEquals(mainRate.path("device"), rate.path("device"));

            // config/set on the second stream: that stream changes, main does not
            BlockingQueue<String> results = broker.subscribe(USER, PASSWORD, prefix + "/+/config/result");
            Thread.sleep(500); // the subscription in place before the request
            broker.publish(USER, PASSWORD, prefix + "/array-2/config/set", "{\"rate\":8000}");
            JsonNode applied = next(results, prefix + "/array-2/config/result", 10);
            assertTrue(applied.toString(), applied.path("ok").asBoolean());
            assertEquals(8000, applied.at("/config/rate").asInt());
            JsonNode after = status(board);
            assertEquals(8000, after.at("/streams/array-2/config/rate").asInt());
            assertEquals(48000, after.at("/streams/main/config/rate").asInt());
            assertEquals(48000, after.at("/stream/config/rate").asInt());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (next(statuses, second, 10).at("/config/rate").asInt() != 8000) {
                assertTrue("the second stream's status topic shows rate 8000", System.nanoTime() < deadline);
            }
            for (String line : drain(mainStatuses, 1500)) {
                assertEquals("main's status unchanged: " + line, 48000, JSON.readTree(line.substring(line.indexOf(' ') + 1)).at("/config/rate").asInt());
            }
            for (String line : drain(results, 500)) {
                assertFalse("no answer on main's topic: " + line, line.startsWith(prefix + "/main/"));
            }

            // the second stream's configuration deleted: its retained status and sensors are cleared
            BlockingQueue<String> going = broker.subscribe(USER, PASSWORD, second, secondRate);
            next(going, second, 5); // the retained status, before
            Files.delete(board.home.resolve("conf/io.earshot.stream~array-2.cfg"));
            boolean statusCleared = false, sensorCleared = false;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(statusCleared && sensorCleared) && System.nanoTime() < deadline) {
                String line = going.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) continue;
                statusCleared |= cleared(line, second);
                sensorCleared |= cleared(line, secondRate);
            }
            assertTrue("the second stream's retained status cleared", statusCleared);
            assertTrue("its sensor's discovery cleared", sensorCleared);
            awaitStatus(board, "only main published", 10, s -> s.at("/mqtt/streams").toString().equals("[\"main\"]")
                    && s.at("/streams/array-2").isMissingNode());
            // a late subscriber: main's status retained, nothing of the second stream
            java.util.List<String> late = drain(broker.subscribe(USER, PASSWORD, prefix + "/+/status",
                    "homeassistant/sensor/+/config"), 2000);
            assertTrue(late.toString(), late.stream().anyMatch(l -> l.startsWith(prefix + "/main/status {")));
            assertTrue(late.toString(), late.stream().noneMatch(l -> l.contains("array-2")));
            // and its commands are gone with it
            broker.publish(USER, PASSWORD, prefix + "/array-2/config/set", "{\"rate\":16000}");
            assertTrue(drain(results, 1500).stream().noneMatch(l -> l.startsWith(prefix + "/array-2/")));
        }
    }

    @Test
    public void aTlsBrokerIsReachedWithTheTrustStoreGivenAndRefusedWithoutIt() throws Exception {
        Path dir = Files.createDirectories(RuntimeProcess.TARGET.resolve("mqtt-it/tls-" + System.nanoTime()));
        String ca = dir.resolve("ca.crt").toString(), caKey = dir.resolve("ca.key").toString();
        String cert = dir.resolve("server.crt").toString(), key = dir.resolve("server.key").toString();
        Files.writeString(dir.resolve("ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Mosquitto.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "2",
                "-subj", "/CN=Earshot test CA");
        Mosquitto.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", dir.resolve("server.csr").toString(),
                "-subj", "/CN=127.0.0.1");
        Mosquitto.run("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", ca, "-CAkey", caKey,
                "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", dir.resolve("ext").toString());
        Path trust = dir.resolve("trust.p12");
        Mosquitto.run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", ca, "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        try (Mosquitto tls = Mosquitto.tls(dir.resolve("broker"), Path.of(ca), Path.of(cert), Path.of(key));
             RuntimeProcess board = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.mqtt.cfg",
                     "broker=ssl://127.0.0.1:" + tls.port + "\nnode=tls\n"))) {
            // the JVM's own CAs do not know the broker's: refused, with the reason
            JsonNode untrusted = awaitStatus(board, "the untrusted certificate", 30,
                    s -> s.at("/mqtt/last_error").asText().toLowerCase().contains("certif")
                            || s.at("/mqtt/last_error").asText().contains("PKIX"));
            System.out.println("MQTT-TLS-UNTRUSTED " + untrusted.at("/mqtt/last_error").asText());
            Files.writeString(board.home.resolve("conf/io.earshot.mqtt.cfg"), "broker=ssl://127.0.0.1:" + tls.port
                    + "\nnode=tls\ntrustStore=" + trust + "\ntrustStorePassword=changeit\n");
            JsonNode connected = awaitStatus(board, "connected over TLS", 30,
                    s -> s.at("/mqtt/connected").asBoolean() && s.at("/mqtt/published").asLong() > 0);
            assertEquals("ssl://127.0.0.1:" + tls.port, connected.at("/mqtt/broker").asText());
        }
    }

    private static boolean pollLine(BlockingQueue<String> lines, String wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (wanted.equals(line)) return true;
        }
        return false;
    }
}
