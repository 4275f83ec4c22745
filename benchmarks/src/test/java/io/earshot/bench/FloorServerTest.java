package io.earshot.bench;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

/** {@link FloorServer} on a free port, spoken to byte by byte and by the load tool. */
public class FloorServerTest {

    private static final String TOKEN = "floor-test-token";

    private static FloorServer start(int channels, int frames) throws IOException {
        return start(channels, frames, 1);
    }

    private static FloorServer start(int channels, int frames, int sendThreads) throws IOException {
        return new FloorServer("127.0.0.1", 0, TOKEN, false, 48000, channels, frames, sendThreads);
    }

    @Test
    public void sendsTheConfigThenConsecutiveBuffersAndAnswersPingAndClose() throws Exception {
        // 2 ch x 480 frames: a buffer every 10 ms
        try (FloorServer floor = start(2, 480); Raw c = Raw.open(floor.port(), "/ws/audio?header=1&token=" + TOKEN, 0)) {
            assertEquals(c.status, 101, c.status);
            assertEquals("{\"buffer_frames\":480,\"rate\":48000,\"channels\":2,\"volume\":80}", c.text());
            assertEquals(FloorServer.POSSIBLE_VALUES, c.text());
            assertTrue(FloorServer.POSSIBLE_VALUES, FloorServer.POSSIBLE_VALUES.startsWith("{\"possible_channel\":[1, 2, 3, "));
            long previous = -1;
            long previousCapture = 0;
            for (int i = 0; i < 30; i++) {
                Raw.Frame f = c.frame();
                assertEquals(0x2, f.opcode);
                assertEquals(24 + 480 * 2 * 2, f.payload.length);
                ByteBuffer h = ByteBuffer.wrap(f.payload).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals("ES01", new String(f.payload, 0, 4, StandardCharsets.US_ASCII));
                assertEquals(24, h.getInt(4));
                long seq = h.getLong(8);
                long capture = h.getLong(16);
                if (previous >= 0) {
                    assertEquals(previous + 1, seq);
                    assertEquals(10_000_000L, capture - previousCapture, 2);    // the period clock, to the rounding
                }
                Instant now = Instant.now();
                long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                assertTrue("capture time " + (wall - capture) / 1e6 + " ms ago", wall - capture >= -2_000_000 && wall - capture < 1_000_000_000L);
                previous = seq;
                previousCapture = capture;
            }
            byte[] ping = "are you there".getBytes(StandardCharsets.US_ASCII);
            c.send(0x9, ping);
            Raw.Frame pong = c.skipBinary();
            assertEquals(0xA, pong.opcode);
            assertArrayEquals(ping, pong.payload);

            c.send(0x8, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'});
            Raw.Frame close = c.skipBinary();
            assertEquals(0x8, close.opcode);
            assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, close.payload);
            try {
                Raw.Frame after = c.frame();
                throw new AssertionError("a frame after the close: opcode " + after.opcode);
            } catch (EOFException expected) {
                // the server ended the connection
            }
            long until = System.nanoTime() + 2_000_000_000L;
            while (floor.clients() > 0 && System.nanoTime() < until) Thread.sleep(10);
            assertEquals(0, floor.clients());
        }
    }

    @Test
    public void refusesWithoutTokenOrHeaderModeAndChangesTheConfigWithIt() throws Exception {
        try (FloorServer floor = start(6, 4096)) {
            try (Raw c = Raw.open(floor.port(), "/ws/audio?header=1", 0)) {
                assertEquals(401, c.status);
            }
            try (Raw c = Raw.open(floor.port(), "/ws/audio?header=1&token=wrong", 0)) {
                assertEquals(401, c.status);
            }
            try (Raw c = Raw.open(floor.port(), "/ws/audio?token=" + TOKEN, 0)) {
                assertEquals(400, c.status);
            }
            try (Raw c = Raw.open(floor.port(), "/ws/nothing", 0)) {
                assertEquals(404, c.status);
            }
            try (Raw c = Raw.open(floor.port(), "/ws/config", 0)) {
                assertEquals(101, c.status);
                c.send(0x1, "{\"buffer_frames\":256}".getBytes(StandardCharsets.UTF_8));
                String refused = c.text();
                assertTrue(refused, refused.startsWith("{\"ok\":false,\"error\":\"changing the configuration needs the access token"));
                assertTrue(refused, refused.endsWith(",\"config\":{\"buffer_frames\":4096,\"rate\":48000,\"channels\":6,\"volume\":80}}"));
                c.send(0x1, ("{\"buffer_frames\":256,\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
                assertEquals("{\"ok\":true,\"config\":{\"buffer_frames\":256,\"rate\":48000,\"channels\":6,\"volume\":80}}", c.text());
                c.send(0x1, ("{\"rate\":12345,\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
                String bad = c.text();
                assertTrue(bad, bad.startsWith("{\"ok\":false,\"error\":\"rate 12345 is not supported; allowed: [8000, 16000,"));
                c.send(0x1, "not json".getBytes(StandardCharsets.UTF_8));
                assertTrue(c.text().startsWith("{\"ok\":false,\"error\":\"malformed JSON"));
            }
            assertEquals(256, floor.config().frames());
            try (Raw c = Raw.open(floor.port(), "/ws/audio?header=1", 0, "Authorization: Bearer " + TOKEN)) {
                assertEquals(101, c.status);
                assertEquals("{\"buffer_frames\":256,\"rate\":48000,\"channels\":6,\"volume\":80}", c.text());
            }
        }
    }

    @Test
    public void aStalledClientIsDroppedAndCountedWhileAnotherGetsEveryBuffer() throws Exception {
        // 48 ch x 1024 frames: 98 kB every 21.3 ms, so a client that reads nothing backs up within a second or two
        try (FloorServer floor = start(48, 1024);
             Raw stalled = Raw.open(floor.port(), "/ws/audio?header=1&token=" + TOKEN, 16 * 1024);
             Raw healthy = Raw.open(floor.port(), "/ws/audio?header=1&token=" + TOKEN, 0)) {
            assertEquals(101, stalled.status);
            assertEquals(101, healthy.status);
            healthy.text();
            healthy.text();
            AtomicLong received = new AtomicLong();
            AtomicLong first = new AtomicLong(-1);
            AtomicReference<String> problem = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                long previous = -1;
                try {
                    while (true) {
                        Raw.Frame f = healthy.frame();
                        if (f.opcode != 0x2) continue;
                        long seq = ByteBuffer.wrap(f.payload).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
                        if (previous >= 0 && seq != previous + 1 && problem.get() == null)
                            problem.set("healthy client: sequence " + seq + " after " + previous);
                        if (previous < 0) first.set(seq);
                        previous = seq;
                        received.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed at the end
                }
            });
            reader.setDaemon(true);
            reader.start();
            long until = System.nanoTime() + 6_000_000_000L;
            while (floor.dropped() < 10 && System.nanoTime() < until) Thread.sleep(20);
            long droppedSoFar = floor.dropped();
            long buffers = floor.buffers();
            Thread.sleep(300);
            assertTrue("dropped " + droppedSoFar + " of " + buffers + " buffers for the stalled client", droppedSoFar >= 10);
            assertTrue("still dropping: " + floor.dropped(), floor.dropped() > droppedSoFar);
            // the healthy client got every buffer made since its first (once it has read what is on its way)
            long made = floor.buffers() - first.get();
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (received.get() < made && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(problem.get(), null, problem.get());
            assertTrue("healthy client got " + received.get() + " of " + made, received.get() >= made);
            assertEquals(2, floor.clients());
            assertEquals(0, floor.laneDropped());
        }
    }

    @Test
    public void theLoadToolMeasuresItWithAConfigChangeOnTwoSendThreads() throws Exception {
        try (FloorServer floor = start(6, 4096, 2)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            Options o = Options.parse("--url", floor.audioUrl(), "--token", TOKEN, "--clients", "4", "--stalled", "1",
                    "--config", "48000,8,512", "--warmup", "0.5", "--seconds", "2", "--json",
                    "--pid", Long.toString(ProcessHandle.current().pid()));
            Result r = new FanoutLoad(o, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
            String out = text.toString(StandardCharsets.UTF_8);
            System.out.print(out);
            assertEquals(out, 0, r.exitCode);
            assertEquals(8, r.channels);
            assertEquals(512, r.bufferFrames);
            assertEquals(3, r.measuredClients);
            assertEquals(out, 100.0, r.deliveredMinPct, 1e-9);
            assertEquals(3, r.completeClients);
            assertEquals(0, r.wrongSizes);
            assertEquals(0, r.badHeaders);
            assertEquals(0, r.failedClients);
            assertTrue(out, out.contains("\"complete_clients\":3,"));
            assertFalse(Double.isNaN(r.runtimeCpuPct));
        }
    }

    /** A blocking WebSocket client on a plain socket, to see exactly what the server sends. */
    static final class Raw implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        int status;

        record Frame(int opcode, byte[] payload) { }

        private Raw(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Connects and sends the upgrade request; {@code receiveBuffer} 0 for the kernel's default. */
        static Raw open(int port, String target, int receiveBuffer, String... headers) throws IOException {
            Socket s = new Socket();
            if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            Raw r = new Raw(s);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n");
            for (String h : headers) req.append(h).append("\r\n");
            r.out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            r.out.flush();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) r.in.readUnsignedByte());
            String[] lines = head.toString().split("\r\n");
            r.status = Integer.parseInt(lines[0].split(" ")[1]);
            if (r.status == 101) {
                String accept = null;
                for (String l : lines) if (l.toLowerCase().startsWith("sec-websocket-accept:")) accept = l.substring(21).trim();
                assertEquals(FrameParser.acceptKey(key), accept);
            }
            return r;
        }

        Frame frame() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertEquals("server frames are not masked", 0, b1 & 0x80);
            assertEquals("FIN", 0x80, b0 & 0xF0);
            long len = b1 & 0x7F;
            if (len == 126) len = in.readUnsignedShort();
            else if (len == 127) len = in.readLong();
            byte[] p = new byte[(int) len];
            in.readFully(p);
            return new Frame(b0 & 0x0F, p);
        }

        /** The next frame that is not a binary one. */
        Frame skipBinary() throws IOException {
            Frame f;
            do {
                f = frame();
            } while (f.opcode == 0x2);
            return f;
        }

        String text() throws IOException {
            Frame f = skipBinary();
            assertEquals(0x1, f.opcode);
            return new String(f.payload, StandardCharsets.UTF_8);
        }

        void send(int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(0x80 | opcode);
            if (payload.length <= 125) {
                b.write(0x80 | payload.length);
            } else {
                b.write(0x80 | 126);
                b.write(payload.length >>> 8);
                b.write(payload.length);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            b.write(mask);
            for (int i = 0; i < payload.length; i++) b.write(payload[i] ^ mask[i & 3]);
            out.write(b.toByteArray());
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
