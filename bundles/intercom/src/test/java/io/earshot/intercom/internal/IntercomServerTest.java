package io.earshot.intercom.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;

import io.earshot.api.AccessControl;
import io.earshot.intercom.wire.IntercomWire;
import io.earshot.intercom.wire.IntercomWire.Header;

public class IntercomServerTest {

    private static final String TOKEN = "the-runtime-token-0123";

    /** The gate's answers for a runtime bound to loopback (or beyond it) with {@link #TOKEN}. */
    private static AccessControl access(boolean loopback) {
        return new AccessControl() {
            @Override
            public boolean permits(String token) {
                return TOKEN.equals(token);
            }

            @Override
            public boolean openReads() {
                return loopback;
            }

            @Override
            public String refusal(String host, String origin) {
                return "127.0.0.1".equals(host) ? null : "host " + host + " is not this runtime's";
            }
        };
    }

    private final List<Socket> sockets = new ArrayList<>();
    private IntercomServer server;

    @After
    public void close() throws IOException {
        for (Socket socket : sockets) socket.close();
        if (server != null) server.close();
    }

    private IntercomServer start(boolean loopback) {
        server = new IntercomServer(access(loopback), true, "127.0.0.1", 0, 1000);
        return server;
    }

    private Socket connect(int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A connected client past its hello; its answer line read. */
    private InputStream client(Socket socket, String hello) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(hello.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        assertEquals("OK EARSHOT-INTERCOM 1", IntercomWire.readLine(in));
        return in;
    }

    private String answer(String hello) throws IOException {
        try (Socket socket = connect(0)) {
            socket.getOutputStream().write(hello.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String line = IntercomWire.readLine(in);
            assertEquals("the server closes after a refusal", -1, in.read());
            return line;
        }
    }

    private static byte[] clip(InputStream in) throws IOException {
        while (true) {
            Header header = IntercomWire.parseHeader(IntercomWire.readFully(in, IntercomWire.HEADER_BYTES));
            if (header.isClip()) return IntercomWire.readFully(in, (int) header.length());
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s: " + what);
            Thread.sleep(20);
        }
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte) (i * 31 + seed);
        return bytes;
    }

    @Test
    public void everyClientGetsTheSameClipWholeWithItsHeader() throws Exception {
        start(true);
        InputStream a = client(connect(0), IntercomWire.hello(null));
        InputStream b = client(connect(0), IntercomWire.hello(TOKEN));
        await("both clients connected", () -> server.connected() == 2);
        byte[] wav = bytes(300_000, 1);
        IntercomServer.Delivery delivery = server.deliver(16000, 2, wav);
        assertEquals(2, delivery.to().size());
        assertTrue(delivery.dropped().isEmpty());
        assertArrayEquals(wav, clip(a));
        assertArrayEquals(wav, clip(b));
        assertEquals(1L, delivery.clip());
    }

    @Test
    public void aClientThatStopsReadingLosesItsOwnClipsAndDelaysNoOne() throws Exception {
        start(true);
        Socket stalled = connect(4096);
        client(stalled, IntercomWire.hello(null)); // and then it reads nothing more
        InputStream reader = client(connect(0), IntercomWire.hello(null));
        await("both clients connected", () -> server.connected() == 2);
        int clips = Connection.QUEUE_CLIPS + 6; // more than its queue and the sockets' buffers hold
        List<List<String>> dropped = new ArrayList<>();
        for (int i = 0; i < clips; i++) {
            byte[] wav = bytes(2_000_000, i);
            dropped.add(server.deliver(8000, 1, wav).dropped());
            assertArrayEquals("clip " + i + " reached the reading client while the other one stalls", wav, clip(reader));
        }
        // the stalled one holds what its socket took, QUEUE_CLIPS in its queue, and lost the rest
        assertEquals(dropped.toString(), List.of("#1"), dropped.get(clips - 1).stream().map(n -> n.split(" ")[0]).toList());
        Map<?, ?> first = (Map<?, ?>) ((List<?>) server.status().get("clients")).get(0);
        assertEquals(1L, first.get("id"));
        assertTrue(first.toString(), (Long) first.get("dropped") >= 1 && (Long) first.get("sent") < clips);
        assertTrue("still connected: stalling is not silence", !stalled.isClosed() && server.connected() == 2);
    }

    @Test
    public void badHellosAndWrongTokensAreRefusedWithAReason() throws Exception {
        start(true);
        assertTrue(answer("GET / HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("REFUSED hello: expected 'EARSHOT-INTERCOM 1[ token=T]'"));
        assertEquals("REFUSED version: this side speaks EARSHOT-INTERCOM 1, the client asked for 9", answer("EARSHOT-INTERCOM 9\n"));
        assertTrue(answer("EARSHOT-INTERCOM 1 token=wrong\n").startsWith("REFUSED token: that is not this runtime's access token"));
        assertTrue(answer("x".repeat(IntercomWire.MAX_LINE_BYTES + 10)).startsWith("REFUSED hello: a line longer than 512 bytes"));
        Socket silent = connect(0);
        assertEquals("REFUSED hello: no hello line within 1 s", IntercomWire.readLine(silent.getInputStream()));
        await("the refusals counted", () -> (Long) server.status().get("refused") == 5);
        assertEquals(0, server.connected());
    }

    @Test
    public void beyondLoopbackTheTokenIsNeeded() throws Exception {
        start(false);
        assertTrue(answer(IntercomWire.hello(null)).startsWith("REFUSED token: this runtime is bound beyond loopback"));
        client(connect(0), IntercomWire.hello(TOKEN));
    }

    @Test
    public void connectionsStillToSendTheirHelloAreBounded() throws Exception {
        start(true);
        for (int i = 0; i < IntercomServer.MAX_HELLOS; i++) connect(0);
        await("four waiting", () -> server.status().get("refused").equals(0L));
        Socket oneMore = connect(0);
        String line = IntercomWire.readLine(oneMore.getInputStream());
        assertTrue(line, line.startsWith("REFUSED full: 4 connections are still to send their hello")
                || line.startsWith("REFUSED hello: no hello line")); // the first four may have timed out already on a slow machine
    }

    @Test
    public void aClientThatLeavesIsNoticedAndListedWithWhy() throws Exception {
        start(true);
        Socket socket = connect(0);
        client(socket, IntercomWire.hello(null));
        await("connected", () -> server.connected() == 1);
        socket.close();
        await("gone", () -> server.connected() == 0);
        Map<?, ?> ended = (Map<?, ?>) ((List<?>) server.status().get("ended")).get(0);
        assertEquals("the client closed the connection", ended.get("closed"));
    }

    @Test
    public void switchedOffItListensNowhereAndSaysHowToSwitchItOn() {
        server = new IntercomServer(access(true), false, "127.0.0.1", 0, 1000);
        assertTrue(server.notServing().contains("enabled=true in conf/io.earshot.intercom.cfg, or start Earshot with --intercom"));
        assertEquals(false, server.status().get("listening"));
    }
}
