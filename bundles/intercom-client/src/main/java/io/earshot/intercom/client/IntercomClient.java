package io.earshot.intercom.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.earshot.intercom.wire.IntercomWire;
import io.earshot.intercom.wire.IntercomWire.Header;

/**
 * {@code bin/earshot-intercom HOST [PORT] [--save DIR] [--token T]}: connects to an Earshot
 * intercom, plays (or saves) every clip it sends, and connects again with backoff whenever the
 * runtime goes away. Needs only the JRE.
 */
public final class IntercomClient {

    static final String USAGE = "Usage: earshot-intercom HOST [PORT] [--save DIR] [--token T]\n"
            + "  HOST        the machine Earshot runs on\n"
            + "  PORT        its intercom port (default " + IntercomWire.DEFAULT_PORT + ")\n"
            + "  --save DIR  save each clip into DIR as a WAV file instead of playing it\n"
            + "  --token T   the runtime's access token (needed when it is bound beyond loopback;\n"
            + "              default: the environment's EARSHOT_TOKEN)\n";
    static final long FIRST_RETRY_MILLIS = 500;
    static final long LAST_RETRY_MILLIS = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final String host;
    private final int port;
    private final String token;
    private final ClipOutput output;

    IntercomClient(String host, int port, String token, ClipOutput output) {
        this.host = host;
        this.port = port;
        this.token = token;
        this.output = output;
    }

    /** Thrown for a refusal that trying again cannot change (a wrong token, another protocol version). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        IntercomClient client;
        try {
            client = fromArguments(args, System.getenv("EARSHOT_TOKEN"));
        } catch (IllegalArgumentException e) {
            System.err.println("earshot-intercom: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (client == null) {
            System.out.print(USAGE);
            return;
        }
        try {
            client.run();
        } catch (Refused e) {
            System.err.println("earshot-intercom: refused by " + client.host + ":" + client.port + ": " + e.getMessage());
            System.exit(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client the arguments describe; null for {@code --help}. */
    static IntercomClient fromArguments(String[] args, String environmentToken) {
        String host = null;
        Integer port = null;
        Path save = null;
        String token = environmentToken == null || environmentToken.isBlank() ? null : environmentToken.trim();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--save" -> save = Paths.get(value(args, ++i, "--save needs a folder"));
                case "--token" -> token = value(args, ++i, "--token needs the token");
                default -> {
                    if (arg.startsWith("-")) throw new IllegalArgumentException("unknown option '" + arg + "'");
                    if (host == null) {
                        host = arg;
                    } else if (port == null) {
                        port = port(arg);
                    } else {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                    }
                }
            }
        }
        if (host == null) throw new IllegalArgumentException("HOST is missing");
        if (token != null && (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~'))) {
            throw new IllegalArgumentException("a token is printable ASCII without spaces");
        }
        ClipOutput output;
        if (save != null) {
            try {
                output = ClipOutput.saving(Files.createDirectories(save));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot save into " + save + ": " + e);
            }
        } else {
            output = ClipOutput.playing();
        }
        return new IntercomClient(host, port == null ? IntercomWire.DEFAULT_PORT : port, token, output);
    }

    private static String value(String[] args, int i, String missing) {
        if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(missing);
        return args[i];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("PORT must be a number from 1 to 65535, got '" + text + "'");
    }

    /** Connects, receives, and connects again after a pause that doubles up to 10 s; returns only when refused. */
    void run() throws Refused, InterruptedException {
        output.start();
        long retry = FIRST_RETRY_MILLIS;
        while (true) {
            String why;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                why = session(socket);
                retry = FIRST_RETRY_MILLIS; // it was up: try again soon
            } catch (SocketTimeoutException e) {
                why = "no answer within " + IntercomWire.SILENCE_LIMIT_SECONDS + " s";
            } catch (IOException e) {
                why = String.valueOf(e.getMessage());
            }
            say("not connected to " + host + ":" + port + " (" + why + "); trying again in " + retry / 1000.0 + " s");
            Thread.sleep(retry);
            retry = Math.min(LAST_RETRY_MILLIS, retry * 2);
        }
    }

    /**
     * The hello, then clips until the connection ends.
     *
     * @return why an accepted connection ended
     * @throws IOException when it was not accepted (the runtime is starting, full, gone)
     */
    private String session(Socket socket) throws IOException, Refused {
        socket.setSoTimeout(IntercomWire.SILENCE_LIMIT_SECONDS * 1000);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out.write(IntercomWire.hello(token).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String answer = IntercomWire.readLine(in);
        if (answer.startsWith("REFUSED ")) {
            String reason = answer.substring(8);
            if (reason.startsWith(IntercomWire.REFUSED_FULL + ":")) throw new IOException(reason);
            throw new Refused(reason);
        }
        if (!answer.equals(IntercomWire.accepted().trim())) {
            throw new Refused("not an Earshot intercom (it answered '" + IntercomWire.quote(answer) + "')");
        }
        say("connected to " + host + ":" + port + "; waiting for clips");
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "earshot-intercom-ping");
            t.setDaemon(true);
            return t;
        });
        pinger.scheduleWithFixedDelay(() -> {
            try {
                out.write("PING\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the reading side sees the connection end
            }
        }, IntercomWire.KEEPALIVE_SECONDS, IntercomWire.KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        try {
            while (true) {
                Header header = IntercomWire.parseHeader(IntercomWire.readFully(in, IntercomWire.HEADER_BYTES));
                if (header.isClip()) output.offer(header, IntercomWire.readFully(in, (int) header.length()));
                // else a keep-alive: the runtime is there
            }
        } catch (SocketTimeoutException e) {
            return "nothing heard for " + IntercomWire.SILENCE_LIMIT_SECONDS + " s";
        } catch (IOException e) {
            return "connection lost: " + e.getMessage();
        } finally {
            pinger.shutdownNow();
        }
    }

    static void say(String line) {
        System.out.println(java.time.LocalTime.now().withNano(0) + " " + line);
    }
}
