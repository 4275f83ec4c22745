package io.earshot.itests;

import static org.junit.Assert.assertEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * An intercom client on a raw socket, speaking the protocol as docs/architecture.md describes it
 * (not through the project's client): the hello, then frames read on a thread of its own, or
 * nothing read at all for a client that stalls. It sends a line every 2 s either way, unless it is
 * one that falls silent.
 */
final class IntercomSocket implements AutoCloseable {

    /** A clip as it came off the wire. */
    record Clip(long number, int rate, int channels, byte[] wav) {
    }

    private final Socket socket;
    private final InputStream in;
    private final BlockingQueue<Clip> clips = new LinkedBlockingQueue<>();
    private final Thread pinger;
    private volatile Throwable failure;

    private IntercomSocket(Socket socket, InputStream in, boolean read, boolean ping) {
        this.socket = socket;
        this.in = in;
        pinger = new Thread(this::ping, "intercom-test-ping");
        pinger.setDaemon(true);
        if (ping) pinger.start();
        if (read) {
            Thread reader = new Thread(this::read, "intercom-test-read");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** The line the runtime answers a hello with; the connection is closed. */
    static String answer(int port, String hello) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(hello.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            String line = line(in);
            assertEquals("closed after the refusal", -1, in.read());
            return line;
        }
    }

    /**
     * @param receiveBuffer a small one (before connecting) for a client that stalls, 0 for the default
     * @param read whether it reads the frames that come
     */
    static IntercomSocket connect(int port, String token, int receiveBuffer, boolean read) throws IOException {
        return connect(port, token, receiveBuffer, read, true);
    }

    /** A client that reads what comes and never says a word after its hello. */
    static IntercomSocket silent(int port) throws IOException {
        return connect(port, null, 0, true, false);
    }

    private static IntercomSocket connect(int port, String token, int receiveBuffer, boolean read, boolean ping) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("EARSHOT-INTERCOM 1" + (token == null ? "" : " token=" + token) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream());
        assertEquals("OK EARSHOT-INTERCOM 1", line(in));
        return new IntercomSocket(socket, in, read, ping);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("closed after '" + line + "'");
            line.append((char) b);
        }
        return line.toString();
    }

    private void read() {
        try {
            while (true) {
                ByteBuffer header = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
                if (header.limit() < 24) throw new IOException("closed between frames");
                byte[] magic = new byte[4];
                header.get(magic);
                assertEquals("ESIC", new String(magic, StandardCharsets.US_ASCII));
                assertEquals(1, header.get(4));
                int kind = header.get(5);
                long length = header.getInt(20) & 0xffffffffL;
                if (kind == 2) {
                    assertEquals(0, length);
                    continue;
                }
                assertEquals("a clip", 1, kind);
                assertEquals("WAV S16LE", 1, header.getShort(6));
                assertEquals(16, header.getShort(18));
                byte[] wav = in.readNBytes((int) length);
                if (wav.length != length) throw new IOException("closed after " + wav.length + " of " + length + " bytes");
                clips.add(new Clip(header.getInt(8) & 0xffffffffL, header.getInt(12), header.getShort(16), wav));
            }
        } catch (Throwable e) {
            if (!socket.isClosed()) failure = e;
        }
    }

    private void ping() {
        try {
            OutputStream out = socket.getOutputStream();
            while (!socket.isClosed()) {
                out.write("PING\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(2000);
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    /** The next clip, within the time. */
    Clip next(int seconds) throws Exception {
        Clip clip = clips.poll(seconds, TimeUnit.SECONDS);
        if (clip == null) throw new AssertionError("no clip within " + seconds + " s" + (failure == null ? "" : ": " + failure));
        return clip;
    }

    /** The clip's WAV as javax.sound reads it: its format and its sample bytes. */
    static AudioInputStream audio(byte[] wav) throws Exception {
        return AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav));
    }

    static void assertFormat(byte[] wav, int rate, int channels, long frames) throws Exception {
        try (AudioInputStream audio = audio(wav)) {
            AudioFormat format = audio.getFormat();
            assertEquals(rate, (int) format.getSampleRate());
            assertEquals(channels, format.getChannels());
            assertEquals(16, format.getSampleSizeInBits());
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, format.getEncoding());
            assertEquals(false, format.isBigEndian());
            assertEquals(frames, audio.getFrameLength());
            assertEquals(frames * channels * 2, audio.readAllBytes().length);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        pinger.interrupt();
    }
}
