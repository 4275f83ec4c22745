package io.earshot.itests;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An easy-dsp board's audio port, written on a plain server socket and strict the way Python's
 * websockets 15 is: a handshake that is not a plain RFC 6455 GET (a body header such as
 * {@code Content-Length}, a missing Upgrade, Connection, key or version 13) is refused with 400
 * and a body. It counts the connections it accepted and those still open (closed when the client
 * closes its side or sends a close frame), and streams easy-dsp's format: the config as text,
 * then 4096 frames x 6 channels of S16LE every 85 ms, without header. Told to {@code refuse}, it
 * answers every handshake {@code HTTP/1.1 400 Bad Request} with a body.
 */
final class StrictBoard implements AutoCloseable {

    static final String CONFIG = "{\"buffer_frames\":4096,\"rate\":48000,\"channels\":6,\"volume\":80}";
    static final String REFUSAL_BODY = "this board takes no visitors today";

    private final ServerSocket server;
    private final boolean refuse;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    /** Why each refused handshake was refused. */
    final List<String> refusals = new CopyOnWriteArrayList<>();

    private StrictBoard(boolean refuse) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.refuse = refuse;
        Thread acceptor = new Thread(this::acceptAll, "strict-board-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static StrictBoard start() throws IOException {
        return new StrictBoard(false);
    }

    static StrictBoard refusing() throws IOException {
        return new StrictBoard(true);
    }

    int port() {
        return server.getLocalPort();
    }

    /** WebSocket connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Accepted connections the client has not closed. */
    int live() {
        return live.size();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> serve(socket), "strict-board-client");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head = readHead(in);
            String why = refuse ? "refusing every handshake" : whatIsWrong(head);
            if (why != null) {
                refusals.add(why + " in: " + head.replace("\r\n", " | "));
                byte[] body = ((refuse ? REFUSAL_BODY : "Failed to open a WebSocket connection: " + why) + ".\n")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((header(head, "Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                    + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            accepted.incrementAndGet();
            live.add(socket);
            socket.setSoTimeout(0);
            Thread reader = new Thread(() -> readUntilClosed(socket), "strict-board-reader");
            reader.setDaemon(true);
            reader.start();
            send(out, 0x1, CONFIG.getBytes(StandardCharsets.UTF_8));
            byte[] buffer = new byte[4096 * 6 * 2];
            for (long sequence = 0; live.contains(socket); sequence++) {
                buffer[0] = (byte) sequence;
                send(out, 0x2, buffer);
                Thread.sleep(85);
            }
        } catch (Exception gone) {
            // the client went away
        } finally {
            live.remove(socket);
        }
    }

    /** Client frames until a close frame or the end of the stream: then the connection counts as closed. */
    private void readUntilClosed(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) length = in.readUnsignedShort();
                else if (length == 127) length = in.readLong();
                if ((second & 0x80) == 0) throw new IOException("an unmasked client frame");
                in.skipNBytes(4 + length);
                if (opcode == 0x8) break;
            }
        } catch (IOException closed) {
            // the end of the stream
        } finally {
            live.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private static String whatIsWrong(String head) {
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("GET ") || !lines[0].endsWith(" HTTP/1.1")) return "not a GET HTTP/1.1 request";
        if (header(head, "Content-Length") != null) return "unsupported request body (Content-Length)";
        if (header(head, "Transfer-Encoding") != null) return "unsupported request body (Transfer-Encoding)";
        if (header(head, "Host") == null) return "missing Host header";
        if (!"websocket".equalsIgnoreCase(header(head, "Upgrade"))) return "missing Upgrade: websocket";
        String connection = header(head, "Connection");
        if (connection == null || !connection.toLowerCase().contains("upgrade")) return "missing Connection: Upgrade";
        if (!"13".equals(header(head, "Sec-WebSocket-Version"))) return "missing Sec-WebSocket-Version: 13";
        String key = header(head, "Sec-WebSocket-Key");
        if (key == null || Base64.getDecoder().decode(key).length != 16) return "missing or invalid Sec-WebSocket-Key";
        return null;
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
        }
        return null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.size() > 16_384) throw new IOException("no complete request head");
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void send(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 4);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        }
        frame.writeBytes(payload);
        synchronized (out) {
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : live) socket.close();
    }
}
