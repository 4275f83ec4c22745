package io.earshot.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A throwaway stand-in for the runtime's audio and config WebSockets, for testing the load tool
 * only: a thread emits zero-filled buffers at the configured rate, in header mode to clients that
 * ask for it, with at most {@link #MAX_PENDING} unfinished sends per client (further buffers are
 * dropped for that client, as the runtime does). Options to drop every n-th buffer for everyone and to close one
 * connection with a reason.
 */
public final class TestAudioServer implements AutoCloseable {

    public static final String TOKEN = "test-token";
    /** Unfinished sends per client before its buffers are dropped: roomy, so a busy test machine loses none. */
    static final int MAX_PENDING = 64;

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Set<AudioEndpoint> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread emitter;
    private volatile boolean running = true;
    private volatile int[] config;               // rate, channels, buffer_frames
    private final int dropEvery;
    private final int closeConnection;
    private final long closeAfterNanos;
    private final long wallBase;
    private final long nanoBase;
    final AtomicLong dropped = new AtomicLong();
    /** Pongs the audio clients sent back to the ping each gets when it opens. */
    final AtomicInteger pongs = new AtomicInteger();
    /** How the audio connections ended, as the server saw it: "code reason" -> count. */
    final Map<String, Integer> closes = new ConcurrentHashMap<>();

    /**
     * @param dropEvery       if above 0, no client gets buffers whose sequence % dropEvery == dropEvery - 1
     * @param closeConnection the connection (0-based, in order of arrival) to close with 1008 'test close',
     *                        or -1
     * @param closeAfterMs    how long after it opened
     */
    public TestAudioServer(int rate, int channels, int frames, int dropEvery, int closeConnection, long closeAfterMs)
            throws Exception {
        this(0, rate, channels, frames, dropEvery, closeConnection, closeAfterMs);
    }

    TestAudioServer(int port, int rate, int channels, int frames, int dropEvery, int closeConnection, long closeAfterMs)
            throws Exception {
        this.config = new int[] {rate, channels, frames};
        this.dropEvery = dropEvery;
        this.closeConnection = closeConnection;
        this.closeAfterNanos = closeAfterMs * 1_000_000L;
        Instant now = Instant.now();
        nanoBase = System.nanoTime();
        wallBase = now.getEpochSecond() * 1_000_000_000L + now.getNano();

        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        JettyWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/ws/audio", (req, resp) -> new AudioEndpoint(this, req.getParameterMap()));
            container.addMapping("/ws/config", (req, resp) -> new ConfigEndpoint(this, req.getParameterMap()));
        });
        server.setHandler(context);
        server.start();
        emitter = new Thread(this::emit, "test-audio-emitter");
        emitter.setDaemon(true);
        emitter.start();
    }

    /** The server alone, for trying the tool and run-fanout.sh by hand (loopback only; stops after a while). */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 17320;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (TestAudioServer server = new TestAudioServer(port, 48000, 6, 4096, 0, -1, 0)) {
            System.out.println("test audio server on " + server.audioUrl() + " pid " + ProcessHandle.current().pid()
                    + " token " + TOKEN + ", stops in " + minutes + " min");
            Thread.sleep(minutes * 60_000L);
        }
    }

    public int port() { return connector.getLocalPort(); }

    public String audioUrl() { return "ws://127.0.0.1:" + port() + "/ws/audio"; }

    int[] config() { return config.clone(); }

    static String configJson(int[] c) {
        return "{\"buffer_frames\":" + c[2] + ",\"rate\":" + c[0] + ",\"channels\":" + c[1] + ",\"volume\":80}";
    }

    private void emit() {
        long seq = 0;
        int[] current = config;
        long base = System.nanoTime();
        long k = 0;
        while (running) {
            int[] c = config;
            if (c != current) {
                current = c;
                base = System.nanoTime();
                k = 0;
                String text = configJson(c);
                for (AudioEndpoint e : clients) e.sendText(text);
            }
            long period = c[2] * 1_000_000_000L / c[0];
            long due = base + (k + 1) * period;
            k++;
            long left;
            while (running && (left = due - System.nanoTime()) > 0) LockSupport.parkNanos(left);
            if (!running) return;
            long captureWall = wallBase + (due - nanoBase);
            ByteBuffer whole = ByteBuffer.allocate(24 + c[2] * c[1] * 2).order(ByteOrder.LITTLE_ENDIAN);
            whole.put((byte) 'E').put((byte) 'S').put((byte) '0').put((byte) '1');
            whole.putInt(24).putLong(seq).putLong(captureWall);
            whole.clear();
            ByteBuffer plain = whole.duplicate().position(24).slice();
            boolean drop = dropEvery > 0 && seq % dropEvery == dropEvery - 1;
            seq++;
            long now = System.nanoTime();
            for (AudioEndpoint e : clients) {
                if (e.index == closeConnection && now - e.openedNanos >= closeAfterNanos) {
                    clients.remove(e);
                    e.session.close(1008, "test close", Callback.NOOP);
                    continue;
                }
                if (!drop) e.send(e.header ? whole.duplicate() : plain.duplicate());
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        emitter.join(2000);
        server.stop();
    }

    /** One audio client. Public: Jetty needs to reach the endpoint class. */
    public static final class AudioEndpoint implements Session.Listener.AutoDemanding {
        private final TestAudioServer server;
        private final AtomicInteger pending = new AtomicInteger();
        volatile Session session;
        volatile boolean header;
        volatile int index;
        volatile long openedNanos;

        AudioEndpoint(TestAudioServer server, Map<String, List<String>> params) {
            this.server = server;
            header = params.containsKey("header") && "1".equals(params.get("header").get(0));
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            index = server.connections.getAndIncrement();
            openedNanos = System.nanoTime();
            sendText(configJson(server.config));
            sendText("{\"possible_channel\":[1,2,4,6,8,16,48],\"possible_rates\":[16000,44100,48000]}");
            s.sendPing(ByteBuffer.wrap("are you there".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), Callback.NOOP);
            server.clients.add(this);
        }

        void sendText(String text) {
            session.sendText(text, Callback.NOOP);
        }

        void send(ByteBuffer b) {
            if (pending.get() >= MAX_PENDING) {
                server.dropped.incrementAndGet();
                return;
            }
            pending.incrementAndGet();
            session.sendBinary(b, Callback.from(pending::decrementAndGet, t -> pending.decrementAndGet()));
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) { server.pongs.incrementAndGet(); }

        @Override
        public void onWebSocketClose(int code, String reason) {
            server.clients.remove(this);
            server.closes.merge(code + " " + reason, 1, Integer::sum);
        }

        @Override
        public void onWebSocketError(Throwable cause) { server.clients.remove(this); }
    }

    /** The config WebSocket: token, then {"rate":..,"channels":..,"buffer_frames":..}. */
    public static final class ConfigEndpoint implements Session.Listener.AutoDemanding {
        private final TestAudioServer server;
        private volatile Session session;
        private volatile boolean authorized;

        ConfigEndpoint(TestAudioServer server, Map<String, List<String>> params) {
            this.server = server;
            List<String> token = params.get("token");
            authorized = token != null && TOKEN.equals(token.get(0));
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            if (!authorized) {
                session.sendText("{\"ok\":false,\"error\":\"missing or wrong token\"}", Callback.NOOP);
                return;
            }
            int[] c = server.config();
            int rate = Json.intField(message, "rate");
            int channels = Json.intField(message, "channels");
            int frames = Json.intField(message, "buffer_frames");
            if (rate == 0 || channels == 0 || frames == 0 || channels > 64) {
                session.sendText("{\"ok\":false,\"error\":\"unsupported config\"}", Callback.NOOP);
                return;
            }
            if (rate > 0) c[0] = rate;
            if (channels > 0) c[1] = channels;
            if (frames > 0) c[2] = frames;
            server.config = c;
            session.sendText("{\"ok\":true,\"config\":" + configJson(c) + "}", Callback.NOOP);
        }
    }
}
