package io.earshot.intercom.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AccessControl;
import io.earshot.api.StatusContributor;
import io.earshot.intercom.wire.IntercomWire;

/**
 * The intercom's TCP port: accepts clients (its own thread), admits them by their hello through
 * the access gate's rules, and hands each clip to every client's queue. Off unless configured
 * ({@code enabled=true}) or started with {@code --intercom}; bound where the runtime binds.
 */
@Component(configurationPid = IntercomServer.PID, service = {IntercomServer.class, StatusContributor.class})
@Designate(ocd = IntercomConfig.class)
public final class IntercomServer implements StatusContributor, Connection.Owner {

    static final String PID = "io.earshot.intercom";
    /** Clients connected at once; one more is refused ("full"). */
    static final int MAX_CLIENTS = 16;
    /** Connections still to send their hello; one more is refused, so silent sockets cannot keep clients out. */
    static final int MAX_HELLOS = 4;
    static final int HELLO_TIMEOUT_MILLIS = 5_000;
    /** Ended connections and refusals kept for the status. */
    static final int KEPT = 10;
    /** Refusals logged a minute; the rest are counted. */
    static final int LOGGED_REFUSALS_PER_MINUTE = 30;
    private static final Logger LOG = LoggerFactory.getLogger(IntercomServer.class);

    private final AccessControl access;
    private final boolean enabled;
    private final String host;
    private final int port;
    private final int helloTimeoutMillis;
    private final Map<Long, Connection> clients = new ConcurrentSkipListMap<>();
    /** Connections still to send their hello (or being refused). */
    private final Set<Connection> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong clips = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final ArrayDeque<Map<String, Object>> ended = new ArrayDeque<>();
    private final ArrayDeque<String> refusals = new ArrayDeque<>();
    private long logMinute;
    private int loggedThisMinute;
    private volatile ServerSocket server;
    private volatile String error;
    private Thread acceptor;

    @Activate
    public IntercomServer(BundleContext context, IntercomConfig config, @Reference AccessControl access) {
        this(access, config.enabled() || Boolean.parseBoolean(context.getProperty("earshot.intercom")),
                bindAddress(context.getProperty("org.apache.felix.http.host")), config.port(), HELLO_TIMEOUT_MILLIS);
    }

    /** For tests: port 0 takes a free one. */
    IntercomServer(AccessControl access, boolean enabled, String host, int port, int helloTimeoutMillis) {
        this.access = access;
        this.enabled = enabled;
        this.host = host;
        this.port = port;
        this.helloTimeoutMillis = helloTimeoutMillis;
        if (enabled) listen();
    }

    private static String bindAddress(String configured) {
        return configured == null || configured.isBlank() ? "127.0.0.1" : configured.trim();
    }

    private void listen() {
        if (port < 0 || port > 65535) {
            error = "port=" + port + " is not a port number (1..65535) in conf/" + PID + ".cfg";
            LOG.error("Intercom not started: {}", error);
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true); // a restart must get its port back at once
            socket.bind(new InetSocketAddress(host, port), 50);
            server = socket;
        } catch (IOException e) {
            error = "port " + port + " on " + host + ": " + e.getMessage();
            LOG.error("Intercom not started: {}", error);
            return;
        }
        acceptor = new Thread(this::accept, "earshot-intercom-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Intercom listening on {}:{}", host, port());
    }

    private void accept() {
        ServerSocket socket = server;
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (socket.isClosed()) return;
                LOG.warn("Intercom: accepting a client failed: {}", e.getMessage());
                pause(); // a lasting failure (no file descriptors left) must not spin
                continue;
            }
            String full = clients.size() >= MAX_CLIENTS ? MAX_CLIENTS + " clients are connected, the most at once"
                    : pending.size() >= MAX_HELLOS ? MAX_HELLOS + " connections are still to send their hello" : null;
            if (full != null) {
                refuse(client, full);
                continue;
            }
            Connection connection = new Connection(ids.incrementAndGet(), client, this, helloTimeoutMillis);
            pending.add(connection);
            Thread reader = new Thread(connection::run, "earshot-intercom-" + connection.id + "-read");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** No room: said in one short line, which a fresh socket's send buffer always takes. */
    private void refuse(Socket client, String why) {
        try (client) {
            client.getOutputStream().write(IntercomWire.refused(IntercomWire.REFUSED_FULL, why).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // it is gone already
        }
        noteRefusal(client.getInetAddress().getHostAddress() + ":" + client.getPort() + ": full: " + why);
    }

    @Override
    public String admit(IntercomWire.Hello hello, Socket socket) {
        // A browser's first line is an HTTP request line, never the hello: web pages cannot speak
        // to this port. What is left to check is the address the client reached, and the token.
        String refusal = access.refusal(socket.getLocalAddress().getHostAddress(), null);
        if (refusal != null) {
            return IntercomWire.REFUSED_HOST + ": " + refusal;
        }
        if (hello.token() != null && !access.permits(hello.token())) {
            return IntercomWire.REFUSED_TOKEN + ": that is not this runtime's access token (it is printed at start and kept in data/token)";
        }
        if (hello.token() == null && !access.openReads()) {
            return IntercomWire.REFUSED_TOKEN + ": this runtime is bound beyond loopback: send its access token ("
                    + IntercomWire.PROTOCOL + " " + IntercomWire.VERSION + " token=T)";
        }
        return null;
    }

    // opened and closed are one lock's: a connection is pending or a client, never both, never lost
    @Override
    public synchronized void opened(Connection connection) {
        clients.put(connection.id, connection);
        pending.remove(connection);
        LOG.info("Intercom client {} connected", connection.name());
        if (server == null) connection.close("the intercom stopped"); // while it was sending its hello
    }

    @Override
    public synchronized void closed(Connection connection, String why) {
        if (pending.remove(connection)) {
            noteRefusal(connection.address + ": " + why); // it never got past its hello
            return;
        }
        Map<String, Object> last = connection.status();
        synchronized (ended) {
            if (ended.size() == KEPT) ended.removeFirst();
            ended.addLast(last);
        }
        clients.remove(connection.id); // after it is listed as ended: the status never loses it
        LOG.info("Intercom client {} gone: {}", connection.name(), why);
    }

    private void noteRefusal(String what) {
        refused.incrementAndGet();
        boolean log;
        synchronized (refusals) {
            if (refusals.size() == KEPT) refusals.removeFirst();
            refusals.addLast(Instant.now() + " " + what);
            long minute = System.currentTimeMillis() / 60_000;
            if (minute != logMinute) {
                logMinute = minute;
                loggedThisMinute = 0;
            }
            log = loggedThisMinute++ < LOGGED_REFUSALS_PER_MINUTE;
        }
        if (log) LOG.info("Intercom refused {}", what);
    }

    /** Whether clips can go out: switched on and listening; else why not. */
    String notServing() {
        if (!enabled) {
            return "the intercom is off: set enabled=true in conf/" + PID + ".cfg, or start Earshot with --intercom";
        }
        return server == null ? "the intercom is not listening: " + error : null;
    }

    /** Who a clip went to, and for whom it was dropped (their queue was full). */
    record Delivery(long clip, List<String> to, List<String> dropped) {
    }

    /** Offers the clip to every client's queue, waiting for none. */
    Delivery deliver(int rate, int channels, byte[] wav) {
        Clip clip = Clip.of(clips.incrementAndGet(), rate, channels, wav);
        List<String> to = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Connection connection : clients.values()) {
            (connection.offer(clip) ? to : dropped).add(connection.name());
        }
        return new Delivery(clip.number(), to, dropped);
    }

    int port() {
        ServerSocket socket = server;
        return socket == null ? port : socket.getLocalPort();
    }

    int connected() {
        return clients.size();
    }

    @Deactivate
    void close() {
        ServerSocket socket = server;
        server = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closed either way
            }
        }
        for (Connection connection : pending) connection.close("the intercom stopped");
        for (Connection connection : clients.values()) connection.close("the intercom stopped");
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String statusKey() {
        return "intercom";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("enabled", enabled);
        status.put("host", host);
        status.put("port", port());
        status.put("listening", server != null);
        status.put("error", error);
        status.put("connected", clients.size());
        status.put("clients", clients.values().stream().map(Connection::status).toList());
        status.put("clips", clips.get());
        status.put("refused", refused.get());
        synchronized (refusals) {
            status.put("last_refusals", List.copyOf(refusals));
        }
        synchronized (ended) {
            status.put("ended", List.copyOf(ended));
        }
        status.put("limits", Map.of("clients", MAX_CLIENTS, "hellos", MAX_HELLOS, "hello_timeout_ms", helloTimeoutMillis,
                "queue_clips", Connection.QUEUE_CLIPS, "queue_bytes", Connection.QUEUE_BYTES, "send_buffer_bytes", Connection.SEND_BUFFER_BYTES,
                "clip_bytes", IntercomWire.MAX_CLIP_BYTES, "stall_seconds", Connection.STALL_SECONDS,
                "keepalive_seconds", IntercomWire.KEEPALIVE_SECONDS, "silence_seconds", IntercomWire.SILENCE_LIMIT_SECONDS));
        return status;
    }
}
