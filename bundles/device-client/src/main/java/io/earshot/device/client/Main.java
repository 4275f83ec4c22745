package io.earshot.device.client;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.SourceDataLine;

import io.earshot.devices.v1.AudioPacket;
import io.earshot.devices.v1.LedFrame;
import io.earshot.devices.v1.ServerMessage;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.grpc.Status;

/** {@code bin/earshot-device}: a device in the terminal. Run without arguments for the usage. */
public final class Main {

    private static final String USAGE = """
            Usage: earshot-device HOST[:PORT] --id ID --key KEY [--live CHANNEL] [--handler NAME]
                                  [--wav FILE] [--opus FILE] [--seconds N] [--leds N] [--mono] [--tls CERT.pem]

              HOST[:PORT]     the Earshot runtime's devices port (default port 50051)
              --id, --key     this device's id and key (keys= or sharedKey= in conf/io.earshot.devices.cfg)
              --live CHANNEL  listen to that channel of the live stream instead of the device's clip queue
              --handler NAME  listen to the audio a plugin sends to that dashboard handler instead (the
                              beamformer example's is Beamformer; --live then picks its channel, default 0)
              --wav FILE      write what plays, decoded, as a 16-bit WAV file
              --opus FILE     write the packets as they came, as an Ogg Opus file (opusdec, players)
              --seconds N     end after N seconds (default: at 'q' or Ctrl-C)
              --leds N        the LED ring's size (default 12); --mono: a mono device
              --tls CERT.pem  TLS, trusting that certificate (the server's, or its CA)

            Keys: 1 = button 1 (play/pause), 2 = button 2 (LED mode), q = quit. Without a terminal
            the same keys are read from stdin, one a line. Exit status: 0 done, 2 usage,
            3 refused (wrong key), 1 any other failure.
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        String target = null, id = null, key = null, wav = null, opus = null, trust = null, handler = null;
        Integer live = null;
        double seconds = 0;
        int leds = 12, channels = 2;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--id" -> id = args[++i];
                    case "--key" -> key = args[++i];
                    case "--live" -> live = Integer.valueOf(args[++i]);
                    case "--handler" -> handler = args[++i];
                    case "--wav" -> wav = args[++i];
                    case "--opus" -> opus = args[++i];
                    case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                    case "--leds" -> leds = Integer.parseInt(args[++i]);
                    case "--mono" -> channels = 1;
                    case "--tls" -> trust = args[++i];
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("--") || target != null) throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                        target = args[i];
                    }
                }
            }
            if (target == null || id == null || key == null) throw new IllegalArgumentException("HOST, --id and --key are needed");
            if (leds < 0 || leds > 256) throw new IllegalArgumentException("--leds is 0 to 256");
            if (live != null && live < 0) throw new IllegalArgumentException("--live is a channel number from 0");
            if (seconds < 0) throw new IllegalArgumentException("--seconds must not be negative");
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            System.err.println("earshot-device: " + (e instanceof ArrayIndexOutOfBoundsException ? "an option lacks its value" : e.getMessage()));
            System.err.print(USAGE);
            return 2;
        }
        String host = target;
        int port = 50051;
        int colon = target.lastIndexOf(':');
        if (colon > 0 && !target.endsWith("]")) {
            host = target.substring(0, colon);
            try {
                port = Integer.parseInt(target.substring(colon + 1));
            } catch (NumberFormatException e) {
                System.err.println("earshot-device: '" + target + "' is not HOST:PORT");
                return 2;
            }
        }
        boolean terminal = System.console() != null;
        try (DeviceClient client = new DeviceClient(host, port, id, key, leds, 2, live != null || handler != null ? 1 : channels, trust == null ? null : new File(trust));
             Sink sink = new Sink(wav == null ? null : Path.of(wav), opus == null ? null : Path.of(opus), out)) {
            CountDownLatch done = new CountDownLatch(1);
            Thread shown = new Thread(() -> show(client, out, terminal, done), "earshot-device-status");
            shown.setDaemon(true);
            shown.start();
            DeviceClient.Audio audio = handler != null ? client.handler(handler, live == null ? 0 : live, sink::packet)
                    : live != null ? client.live(live, sink::packet) : client.queue(sink::packet);
            Thread reports = new Thread(() -> report(client, sink), "earshot-device-reports");
            reports.setDaemon(true);
            reports.start();
            Thread keys = new Thread(() -> keys(client, done), "earshot-device-keys");
            keys.setDaemon(true);
            keys.start();
            if (seconds > 0) done.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
            else done.await();
            Status status = client.ended() != null ? client.ended() : audio.ended();
            if (status != null && !status.isOk()) {
                System.err.println("earshot-device: " + status.getCode() + ": " + status.getDescription());
                return status.getCode() == Status.Code.UNAUTHENTICATED ? 3 : 1;
            }
            out.println("packets " + sink.packets.get() + ", seconds " + sink.packets.get() * 0.02);
            return 0;
        }
    }

    /** Once a second, what was played: the runtime shows it in the device's status. */
    private static void report(DeviceClient client, Sink sink) {
        try {
            while (client.ended() == null) {
                Thread.sleep(1000);
                client.report(sink.lastSequence, sink.bufferedMs(), 0);
            }
        } catch (InterruptedException | RuntimeException ended) {
            // the stream is over
        }
    }

    /** On a terminal each key counts at once (no Enter): stty's raw-ish mode, restored at exit. */
    private static boolean keysAtOnce() {
        if (System.console() == null) return false;
        try {
            Process saved = new ProcessBuilder("sh", "-c", "stty -g < /dev/tty").start();
            String mode = new String(saved.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (saved.waitFor() != 0 || mode.isEmpty()) return false;
            if (new ProcessBuilder("sh", "-c", "stty -icanon -echo min 1 < /dev/tty").start().waitFor() != 0) return false;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("sh", "-c", "stty " + mode + " < /dev/tty").start().waitFor();
                } catch (IOException | InterruptedException e) {
                    // the terminal is gone
                }
            }));
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void keys(DeviceClient client, CountDownLatch done) {
        long sequence = 0;
        if (keysAtOnce()) {
            try {
                for (int key; (key = System.in.read()) >= 0 && key != 'q'; ) {
                    if (key == '1' || key == '2') {
                        client.button(sequence, key - '0', true);
                        client.button(sequence + 1, key - '0', false);
                        sequence += 2;
                    }
                }
            } catch (IOException e) {
                // stdin closed
            }
            done.countDown();
            return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                line = line.trim();
                if (line.equals("q")) break;
                if (line.equals("1") || line.equals("2")) {
                    client.button(sequence, Integer.parseInt(line), true);
                    client.button(sequence + 1, Integer.parseInt(line), false);
                    sequence += 2;
                }
            }
            // stdin at its end without a terminal (a service): go on until --seconds or Ctrl-C
            if (System.console() == null) return;
        } catch (IOException e) {
            return;
        }
        done.countDown();
    }

    private static void show(DeviceClient client, PrintStream out, boolean terminal, CountDownLatch done) {
        try {
            while (client.ended() == null || !client.received().isEmpty()) {
                ServerMessage m = client.next(200, TimeUnit.MILLISECONDS);
                if (m == null) continue;
                if (m.hasHello()) {
                    out.println("connected: session " + m.getHello().getSession() + (m.getHello().getReturning() ? " (back)" : ""));
                } else if (m.hasLeds()) {
                    out.print(ring(m.getLeds(), terminal));
                } else if (m.hasButton()) {
                    out.println((terminal ? "\n" : "") + "button " + m.getButton().getButton() + " #" + m.getButton().getSequence() + ": "
                            + m.getButton().getAction() + (m.getButton().getOk() ? "" : " (" + m.getButton().getError() + ")"));
                } else if (m.hasTransport()) {
                    out.println((terminal ? "\n" : "") + "transport: " + m.getTransport().getState().name().toLowerCase()
                            + (m.getTransport().getClip().isEmpty() ? "" : " " + m.getTransport().getClip()) + " queue " + m.getTransport().getQueueList());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        done.countDown();
    }

    /** The ring: coloured blocks redrawn in place on a terminal, a line of hex colours elsewhere. */
    static String ring(LedFrame frame, boolean terminal) {
        StringBuilder s = new StringBuilder(terminal ? "\r" : "leds" + (frame.getFlash() ? " flash" : "") + ":");
        for (int rgb : frame.getRgbList()) {
            if (terminal) {
                s.append(String.format("\033[38;2;%d;%d;%dm\u25CF\033[0m", (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF));
            } else {
                s.append(String.format(" %06x", rgb));
            }
        }
        return s.append(terminal ? "" : "\n").toString();
    }

    /** Where the packets go: decoded to the speaker and a WAV file, as they are to an Ogg file. */
    private static final class Sink implements AutoCloseable {
        final AtomicLong packets = new AtomicLong();
        volatile long lastSequence;
        private final Path wavPath;
        private final Path opusPath;
        private final PrintStream out;
        private OpusDecoder decoder;
        private int channels;
        private final short[] pcm = new short[960 * 2 * 6];
        private WavWriter wav;
        private OggOpusWriter ogg;
        private SourceDataLine line;
        private boolean noLine;

        Sink(Path wav, Path opus, PrintStream out) {
            this.wavPath = wav;
            this.opusPath = opus;
            this.out = out;
        }

        synchronized void packet(AudioPacket packet) {
            try {
                if (decoder == null || packet.getChannels() != channels) open(packet.getChannels());
                byte[] data = packet.getOpus().toByteArray();
                int frames = decoder.decode(data, 0, data.length, pcm, 0, 960 * 6, false);
                if (wav != null) wav.write(pcm, frames);
                if (ogg != null) ogg.write(data, frames);
                if (line != null) {
                    byte[] bytes = new byte[frames * channels * 2];
                    for (int i = 0; i < frames * channels; i++) {
                        bytes[2 * i] = (byte) pcm[i];
                        bytes[2 * i + 1] = (byte) (pcm[i] >> 8);
                    }
                    line.write(bytes, 0, bytes.length);
                }
                packets.incrementAndGet();
                lastSequence = packet.getSequence();
            } catch (IOException | OpusException e) {
                System.err.println("earshot-device: packet " + packet.getSequence() + ": " + e.getMessage());
            }
        }

        private void open(int count) throws IOException, OpusException {
            // a file has one channel count: the first packet's
            if (decoder != null) throw new IOException("the channel count changed from " + channels + " to " + count + "; not written");
            channels = count;
            decoder = new OpusDecoder(48000, count);
            if (wavPath != null) wav = new WavWriter(wavPath, 48000, count);
            if (opusPath != null) ogg = new OggOpusWriter(new BufferedOutputStream(Files.newOutputStream(opusPath)), count);
            if (noLine) return;
            try {
                AudioFormat format = new AudioFormat(48000, 16, count, true, false);
                line = AudioSystem.getSourceDataLine(format);
                line.open(format, 48000 * 2 * count / 5);
                line.start();
            } catch (Exception | LinkageError e) {
                noLine = true;
                out.println("no sound output here (" + e.getMessage() + "): not played" + (wavPath == null && opusPath == null ? "; --wav or --opus write it" : ""));
            }
        }

        /** What the sound output still has to play. */
        int bufferedMs() {
            SourceDataLine l = line;
            return l == null ? 0 : (int) ((l.getBufferSize() - l.available()) * 1000L / (48000L * 2 * channels));
        }

        @Override
        public synchronized void close() throws IOException {
            if (line != null) line.close();
            if (wav != null) wav.close();
            if (ogg != null) ogg.close();
        }
    }
}
