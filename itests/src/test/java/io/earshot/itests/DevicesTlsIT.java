package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.earshot.device.client.DeviceClient;
import io.earshot.devices.v1.ServerMessage;
import io.grpc.Status;

/**
 * The devices' port with TLS, as the README tells a user beyond a lab to run it: a certificate and
 * its key in conf/ (made here by openssl), a device that trusts the certificate gets its hello, one
 * that speaks plain text does not.
 */
public class DevicesTlsIT {

    private static final String TOKEN = "devices-tls-itest-token-0123456789";

    @Test
    public void aDeviceTrustingTheCertificateConnectsOverTlsAndPlainTextIsRefused() throws Exception {
        Path keys = Files.createDirectories(RuntimeProcess.TARGET.resolve("devices-tls-" + System.nanoTime()));
        Path certificate = keys.resolve("devices.crt");
        Path key = keys.resolve("devices.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", certificate.toString()).redirectErrorStream(true).start();
        String made = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(made, 0, openssl.exitValue());
        assertTrue("a PKCS#8 key", Files.readString(key).contains("BEGIN PRIVATE KEY"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (RuntimeProcess runtime = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.devices.cfg",
                "enabled=true\nport=" + port + "\nkeys=safe:key-safe\ntlsCertificate=" + certificate + "\ntlsKey=" + key + "\n"))) {
            JsonNode devices = runtime.awaitJson("/api/status", "the devices serving", s -> s.at("/devices/serving").asBoolean()).path("devices");
            assertEquals(port, devices.path("port").asInt());
            try (DeviceClient safe = new DeviceClient("127.0.0.1", port, "safe", "key-safe", 12, 2, 1, certificate.toFile())) {
                ServerMessage hello = null;
                for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); hello == null && System.nanoTime() < until; ) {
                    ServerMessage m = safe.next(100, TimeUnit.MILLISECONDS);
                    if (m != null && m.hasHello()) hello = m;
                }
                assertNotNull("no hello over TLS; ended: " + safe.ended(), hello);
            }
            try (DeviceClient plain = new DeviceClient("127.0.0.1", port, "safe", "key-safe", 12, 2, 1, null)) {
                for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); plain.ended() == null && System.nanoTime() < until; ) {
                    ServerMessage m = plain.next(100, TimeUnit.MILLISECONDS);
                    assertTrue("a plain-text device got " + m, m == null || !m.hasHello());
                }
                assertNotNull("the plain-text call never ended", plain.ended());
                assertNotEquals(Status.Code.OK, plain.ended().getCode());
            }
        }
    }
}
