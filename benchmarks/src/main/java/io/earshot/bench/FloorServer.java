package io.earshot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The floor of issue 17: the leanest fan-out of Earshot's audio WebSocket this project knows, on
 * the JDK alone, to run beside the runtime under the same load ({@code run-floor.sh}) so that every
 * fan-out figure can be given as Earshot / floor.
 * <ul>
 * <li>One <b>I/O thread</b> with one selector: accepts, does the HTTP/1.1 upgrade by hand
 * (RFC 6455 {@code Sec-WebSocket-Accept}), checks the token ({@code Authorization: Bearer} or
 * {@code ?token=}, as Earshot's gate), reads what clients send (pings, close frames, the config
 * messages of {@code /ws/config}) and answers {@code /ws/config} itself.</li>
 * <li>One <b>capture thread</b> paced in real time by a period clock, as a sound card is: every
 * {@code buffer_frames / rate} it stamps one pooled frame with the next sequence number and the
 * capture time of its last sample, and hands it to the send threads.</li>
 * <li><b>One pre-encoded frame per buffer</b>: the unmasked WebSocket binary frame header, the
 * 24-byte header of Earshot's header mode ({@code ES01}, 24, sequence, capture time in wall-clock
 * ns; little-endian) and the S16LE samples in one direct buffer, the same read-only bytes for
 * every client. The samples are written once per pooled frame (a fixed tone per channel), so per
 * buffer only the sequence and the capture time change: the floor's "capture" costs nothing.</li>
 * <li><b>Send threads</b> ({@code --send-threads}, default 1), each with its own clients and a
 * selector for write readiness: per buffer and client one non-blocking
 * {@code SocketChannel.write} of the thread's own view of the frame, nothing else. A client whose
 * previous frame is not fully written yet gets this buffer dropped and counted: at most one
 * partly written frame per client is held, finished when the socket is writable again.</li>
 * </ul>
 * Nothing is allocated per message per client; per buffer the capture thread wakes each send
 * thread that has clients once. Pings are answered, close frames echoed, dead sockets dropped at
 * their next write. Only header mode ({@code ?header=1}) and the main stream are served.
 */
public final class FloorServer implements AutoCloseable {

    static final String USAGE = """
            Usage: java -cp earshot-fanout.jar io.earshot.bench.FloorServer [options]

            The floor of issue 17: the leanest fan-out of Earshot's /ws/audio (header mode) and
            /ws/config on the JDK alone. Serves loopback by default.

              --host ADDRESS       address to listen on (default 127.0.0.1)
              --port PORT          port (default 7330; 0 = any free one, printed)
              --token TOKEN        the access token (default: a new random one, printed)
              --token-file FILE    read the token from FILE
              --open-reads         /ws/audio and /stats without the token (Earshot on loopback)
              --rate R             sample rate at start (default 48000)
              --channels C         channels at start (default 6)
              --frames F           buffer_frames at start (default 4096)
              --send-threads N     threads writing to the clients (default 1)
              --stop-after S       stop after S seconds (default 0: run until stopped)
              --help

            Endpoints: /ws/audio?header=1 (config text, possible values text, then one binary
            message per buffer), /ws/config (Earshot's config messages and answers), GET /stats
            (counters as JSON).
            """;

    /** Earshot's simulated array: the rates, channel counts and buffer sizes it accepts. */
    static final List<Integer> RATES = List.of(8000, 16000, 22050, 32000, 44100, 48000, 96000);
    static final List<Integer> CHANNELS = IntStream.rangeClosed(1, 48).boxed().toList();
    static final int MIN_FRAMES = 64;
    static final int MAX_FRAMES = 65536;
    /** The possible-values message Earshot sends after the config (lists printed as Java prints them). */
    static final String POSSIBLE_VALUES = "{\"possible_channel\":" + CHANNELS + ",\"possible_rates\":" + RATES + "}";

    static final int HEADER_BYTES = 24;
    /** "ES01" read as a little-endian int. */
    static final int MAGIC = 'E' | 'S' << 8 | '0' << 16 | '1' << 24;
    /** Frames a send thread may have waiting; past that it loses buffers (counted), as Earshot's lanes do. */
    static final int RING = 8;
    /** What an audio client may send in one frame (Earshot: 4096 bytes). */
    static final int MAX_AUDIO_INBOUND = 4096;
    /** What a config client may send in one message (Earshot: 64 KiB frames, 4096-character messages). */
    static final int MAX_CONFIG_INBOUND = 64 * 1024;
    static final int MAX_REQUEST = 8192;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** A stream config, Earshot's four numbers; one instance per change (frames compare it by identity). */
    record Config(int rate, int channels, int frames, int volume) {
        String json() {
            return "{\"buffer_frames\":" + frames + ",\"rate\":" + rate + ",\"channels\":" + channels + ",\"volume\":" + volume + "}";
        }

        double periodNanos() { return frames * 1e9 / rate; }

        int messageBytes() { return HEADER_BYTES + frames * channels * 2; }

        /** Why the simulated array would refuse it, or null. */
        String problem() {
            if (!RATES.contains(rate)) return "rate " + rate + " is not supported; allowed: " + RATES;
            if (channels < 1 || channels > 48) return "channels " + channels + " is not supported; allowed: 1..48";
            if (frames < MIN_FRAMES || frames > MAX_FRAMES)
                return "buffer_frames " + frames + " is out of range; allowed: " + MIN_FRAMES + ".." + MAX_FRAMES;
            return null;
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread ioThread;
    private final Thread captureThread;
    private final Lane[] lanes;
    private final byte[] token;
    private final boolean openReads;
    private final ConcurrentLinkedQueue<Runnable> ioTasks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
    private final Consumer<SelectionKey> onReady = this::ready;
    private final byte[] scratch = new byte[MAX_CONFIG_INBOUND];   // the I/O thread's, for unmasking
    private final long wallBase;
    private final long nanoBase;
    private volatile Config config;
    private volatile boolean running = true;
    private final AtomicLong buffers = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    private record Change(Config config, Conn replyTo) { }

    /**
     * Starts listening and capturing.
     *
     * @param port        0 for any free port
     * @param token       the access token
     * @param sendThreads threads writing to the clients, 1 or more
     */
    public FloorServer(String host, int port, String token, boolean openReads, int rate, int channels, int frames,
                       int sendThreads) throws IOException {
        if (token == null || token.isEmpty()) throw new IllegalArgumentException("a token is needed");
        if (sendThreads < 1 || sendThreads > 64) throw new IllegalArgumentException("send threads must be 1..64, got " + sendThreads);
        Config c = new Config(rate, channels, frames, 80);
        String problem = c.problem();
        if (problem != null) throw new IllegalArgumentException(problem);
        this.config = c;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.openReads = openReads;
        Instant now = Instant.now();
        nanoBase = System.nanoTime();
        wallBase = now.getEpochSecond() * 1_000_000_000L + now.getNano();

        lanes = new Lane[sendThreads];
        for (int i = 0; i < sendThreads; i++) lanes[i] = new Lane(i);
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(host, port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        ioThread = new Thread(this::io, "floor-io");
        captureThread = new Thread(this::capture, "floor-capture");
        for (Lane l : lanes) l.thread.start();
        ioThread.start();
        captureThread.start();
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 7330;
        String token = null;
        boolean openReads = false;
        int rate = 48000, channels = 6, frames = 4096, sendThreads = 1;
        double stopAfter = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    System.out.print(USAGE);
                    return;
                }
                if (a.equals("--open-reads")) {
                    openReads = true;
                    continue;
                }
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--host" -> host = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--token" -> token = v;
                    case "--token-file" -> token = Files.readString(Path.of(v)).trim();
                    case "--rate" -> rate = Integer.parseInt(v);
                    case "--channels" -> channels = Integer.parseInt(v);
                    case "--frames" -> frames = Integer.parseInt(v);
                    case "--send-threads" -> sendThreads = Integer.parseInt(v);
                    case "--stop-after" -> stopAfter = Double.parseDouble(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("floor: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        boolean generated = token == null;
        if (generated) {
            byte[] b = new byte[16];
            new java.security.SecureRandom().nextBytes(b);
            StringBuilder s = new StringBuilder();
            for (byte x : b) s.append(String.format("%02x", x));
            token = s.toString();
        }
        FloorServer floor;
        try {
            floor = new FloorServer(host, port, token, openReads, rate, channels, frames, sendThreads);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("floor: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(floor::close, "floor-stop"));
        System.out.println("floor: listening on " + floor.audioUrl() + " (pid " + ProcessHandle.current().pid() + "), "
                + floor.config.rate() + " Hz, " + floor.config.channels() + " ch x " + floor.config.frames() + " frames, "
                + sendThreads + " send thread" + (sendThreads == 1 ? "" : "s")
                + (generated ? ", token " + token : "") + (stopAfter > 0 ? ", stops after " + stopAfter + " s" : ""));
        System.out.flush();
        if (stopAfter > 0) {
            Thread.sleep((long) (stopAfter * 1000));
            System.out.println("floor: " + floor.statsJson());
            System.exit(0);
        }
        floor.ioThread.join();
    }

    public int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    public String audioUrl() { return "ws://127.0.0.1:" + port() + "/ws/audio"; }

    Config config() { return config; }

    @Override
    public void close() {
        if (!running) return;
        running = false;
        LockSupport.unpark(captureThread);
        selector.wakeup();
        for (Lane l : lanes) l.selector.wakeup();
        try {
            captureThread.join(2000);
            ioThread.join(2000);
            for (Lane l : lanes) l.thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------ counters

    /** Buffers captured since the start. */
    long buffers() { return buffers.get(); }

    /** Audio clients being served. */
    int clients() {
        int n = 0;
        for (Lane l : lanes) n += l.clientCount;
        return n;
    }

    /** Binary messages written whole to clients. */
    long sent() {
        long n = 0;
        for (Lane l : lanes) n += l.sentTotal;
        return n;
    }

    /** Buffers not sent to a client because its previous frame was not fully written yet. */
    long dropped() {
        long n = 0;
        for (Lane l : lanes) n += l.droppedTotal;
        return n;
    }

    /** Buffers a send thread lost for all its clients because it was {@link #RING} buffers behind. */
    long laneDropped() {
        long n = 0;
        for (Lane l : lanes) n += l.ringDropped.get();
        return n;
    }

    /**
     * The counters as JSON, with the heap bytes each thread allocated since the start (HotSpot's
     * per-thread counter; -1 where the JVM has none): the send threads' should not grow with the
     * messages sent.
     */
    String statsJson() {
        Config c = config;
        StringBuilder send = new StringBuilder("[");
        for (Lane l : lanes) send.append(send.length() > 1 ? "," : "").append(allocated(l.thread));
        return "{\"clients\":" + clients() + ",\"connections\":" + connections.get() + ",\"buffers\":" + buffers()
                + ",\"sent\":" + sent() + ",\"dropped\":" + dropped() + ",\"lane_dropped\":" + laneDropped()
                + ",\"send_threads\":" + lanes.length + ",\"config\":" + c.json()
                + ",\"allocated_bytes\":{\"capture\":" + allocated(captureThread) + ",\"io\":" + allocated(ioThread)
                + ",\"send\":" + send.append(']') + "}}";
    }

    static long allocated(Thread t) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean hs && hs.isThreadAllocatedMemorySupported()) {
            return hs.getThreadAllocatedBytes(t.getId());
        }
        return -1;
    }

    // ------------------------------------------------------------ the capture thread

    /** One buffer on the wire: the binary frame, pooled per config and stamped anew for each buffer. */
    static final class Frame {
        final Config config;
        final ByteBuffer bytes;          // the whole WebSocket frame; its position and limit never move
        final ByteBuffer[] views;        // one read-only view per send thread: each its own position
        final int stampAt;               // where the sequence number goes
        /** Send threads it is offered to (plus the capture thread while publishing) and clients holding it part-written. */
        final AtomicInteger refs = new AtomicInteger();

        Frame(Config config, int lanes) {
            this.config = config;
            int payload = config.messageBytes();
            int head = payload <= 125 ? 2 : payload <= 65535 ? 4 : 10;
            bytes = ByteBuffer.allocateDirect(head + payload).order(ByteOrder.LITTLE_ENDIAN);
            bytes.put((byte) 0x82);              // FIN, binary; a server's frames are not masked
            if (head == 2) {
                bytes.put((byte) payload);
            } else if (head == 4) {
                bytes.put((byte) 126).put((byte) (payload >>> 8)).put((byte) payload);
            } else {
                bytes.put((byte) 127);
                for (int i = 7; i >= 0; i--) bytes.put((byte) ((long) payload >>> (8 * i)));
            }
            bytes.putInt(MAGIC).putInt(HEADER_BYTES);
            stampAt = bytes.position();
            bytes.putLong(0).putLong(0);
            // a quiet tone per channel, written once: S16LE, interleaved
            int ch = config.channels();
            for (int f = 0; f < config.frames(); f++) {
                for (int c = 0; c < ch; c++) {
                    bytes.putShort((short) (1000 * Math.sin(2 * Math.PI * 440 * (c + 1) * f / config.rate())));
                }
            }
            bytes.clear();
            views = new ByteBuffer[lanes];
            for (int i = 0; i < lanes; i++) views[i] = bytes.asReadOnlyBuffer();
        }

        int size() { return bytes.capacity(); }

        void stamp(long sequence, long captureWallNanos) {
            bytes.putLong(stampAt, sequence);
            bytes.putLong(stampAt + 8, captureWallNanos);
        }

        void release() { refs.decrementAndGet(); }
    }

    private void capture() {
        Config c = config;
        List<Frame> pool = new ArrayList<>();
        long base = System.nanoTime();
        long k = 0;
        long sequence = 0;
        while (running) {
            if (!changes.isEmpty()) {
                // every change waiting is answered with the config applied: the last one
                List<Change> taken = new ArrayList<>();
                for (Change ch; (ch = changes.poll()) != null; ) taken.add(ch);
                Config next = taken.get(taken.size() - 1).config();
                if (!next.equals(c)) {
                    c = next;
                    config = c;
                    pool = new ArrayList<>();
                    base = System.nanoTime();
                    k = 0;
                }
                String answer = "{\"ok\":true,\"config\":" + c.json() + "}";
                for (Change ch : taken) {
                    Conn to = ch.replyTo();
                    ioTasks.add(() -> to.sendText(answer));
                }
                selector.wakeup();
            }
            long due = base + Math.round((k + 1) * c.periodNanos());
            long left;
            while (running && changes.isEmpty() && (left = due - System.nanoTime()) > 0) LockSupport.parkNanos(left);
            if (!running) return;
            if (!changes.isEmpty()) continue;
            k++;
            Frame f = take(pool, c);
            f.stamp(sequence++, wallBase + (due - nanoBase));
            buffers.incrementAndGet();
            publish(f);
        }
    }

    /** A pooled frame no send thread and no client holds, or a new one. */
    private Frame take(List<Frame> pool, Config c) {
        for (int i = 0, n = pool.size(); i < n; i++) {
            Frame f = pool.get(i);
            if (f.refs.get() == 0) return f;
        }
        if (pool.size() >= 64) pool.remove(0);   // held by stalled clients for long: left to them and the collector
        Frame f = new Frame(c, lanes.length);
        pool.add(f);
        return f;
    }

    private void publish(Frame f) {
        f.refs.set(lanes.length + 1);           // one per send thread, one for this thread until all are offered
        for (Lane lane : lanes) {
            if (lane.clientCount == 0 || !lane.offer(f)) {
                if (lane.clientCount > 0) lane.ringDropped.incrementAndGet();
                f.release();
            } else {
                lane.selector.wakeup();
            }
        }
        f.release();
    }

    // ------------------------------------------------------------ the send threads

    /** A send thread: its clients, a ring of frames from the capture thread, a selector for write readiness. */
    final class Lane implements Runnable {
        final int index;
        final Selector selector;
        final Thread thread;
        private final Frame[] ring = new Frame[RING];
        private volatile long head;             // written by the capture thread
        private volatile long tail;             // written by this thread
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final ArrayList<Client> clients = new ArrayList<>();
        private final Consumer<SelectionKey> onWritable = k -> ((Client) k.attachment()).writable();
        volatile int clientCount;
        volatile long sentTotal;
        volatile long droppedTotal;
        final AtomicLong ringDropped = new AtomicLong();
        long sent;                              // this thread's
        long dropped;

        Lane(int index) throws IOException {
            this.index = index;
            selector = Selector.open();
            thread = new Thread(this, "floor-send-" + index);
        }

        /** The capture thread's; false if this thread is {@link #RING} frames behind. */
        boolean offer(Frame f) {
            long h = head;
            if (h - tail >= RING) return false;
            ring[(int) (h % RING)] = f;
            head = h + 1;
            return true;
        }

        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select(onWritable);
                    for (Runnable t; (t = tasks.poll()) != null; ) t.run();
                    for (long t = tail, h = head; t < h; t++) {
                        int slot = (int) (t % RING);
                        Frame f = ring[slot];
                        ring[slot] = null;
                        tail = t + 1;
                        broadcast(f);
                        f.release();
                    }
                    sweep();
                    sentTotal = sent;
                    droppedTotal = dropped;
                }
            } catch (IOException | ClosedSelectorException e) {
                if (running) System.err.println("floor: " + thread.getName() + ": " + e);
            } finally {
                for (Client c : clients) c.die();
                try {
                    selector.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        private void broadcast(Frame f) {
            ByteBuffer view = f.views[index];
            for (int i = 0, n = clients.size(); i < n; i++) clients.get(i).offer(f, view);
        }

        void join(Client c) {
            try {
                c.writeKey = c.channel.register(selector, 0, c);
            } catch (IOException e) {
                c.die();
                return;
            }
            clients.add(c);
            clientCount = clients.size();
            Config now = config;
            c.announced = now;
            c.text(now.json());
            c.text(POSSIBLE_VALUES);
            c.flushControlOrWait();
        }

        private void sweep() {
            boolean any = false;
            for (int i = clients.size() - 1; i >= 0; i--) {
                if (clients.get(i).dead) {
                    Client last = clients.remove(clients.size() - 1);
                    if (i < clients.size()) clients.set(i, last);
                    any = true;
                }
            }
            if (any) clientCount = clients.size();
        }
    }

    /** An audio client, owned by its send thread once it has joined. */
    final class Client {
        final SocketChannel channel;
        final Lane lane;
        SelectionKey writeKey;
        final ByteBuffer control = ByteBuffer.allocateDirect(2048);   // text and control frames waiting: [0, position)
        Config announced;
        Frame pending;                  // the frame part-written, or null
        int pendingAt;
        boolean closeWhenFlushed;
        boolean wantsWrite;
        volatile boolean dead;

        Client(SocketChannel channel, Lane lane) {
            this.channel = channel;
            this.lane = lane;
        }

        /** One buffer: finish what is part-written, then the frame; or drop it. Never blocks. */
        void offer(Frame f, ByteBuffer view) {
            if (dead || closeWhenFlushed) return;
            if (pending != null && !finishPending()) {
                lane.dropped++;
                return;
            }
            if (f.config != announced) {
                announced = f.config;
                text(f.config.json());
            }
            if (control.position() > 0 && !flushControl()) {
                lane.dropped++;
                wantWrite(true);
                return;
            }
            view.position(0);
            if (write(view) < 0) return;
            if (view.hasRemaining()) {
                pending = f;
                pendingAt = view.position();
                f.refs.incrementAndGet();
                wantWrite(true);
            } else {
                lane.sent++;
            }
        }

        /** The socket can take more. */
        void writable() {
            if (dead) return;
            if (pending != null && !finishPending()) return;
            if (control.position() > 0 && !flushControl()) return;
            wantWrite(false);
            if (closeWhenFlushed) die();
        }

        private boolean finishPending() {
            ByteBuffer v = pending.views[lane.index];
            v.position(pendingAt);
            if (write(v) < 0) return false;
            if (v.hasRemaining()) {
                pendingAt = v.position();
                return false;
            }
            pending.release();
            pending = null;
            lane.sent++;
            return true;
        }

        /** Queues a text message (dropped if the control buffer is that far behind: a client that reads nothing). */
        void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (control.remaining() < b.length + 10) return;
            putFrameHeader(control, 0x81, b.length);
            control.put(b);
        }

        void controlFrame(int opcode, byte[] payload, int length) {
            if (dead || closeWhenFlushed || control.remaining() < length + 2) return;
            control.put((byte) (0x80 | opcode)).put((byte) length).put(payload, 0, length);
            flushControlOrWait();
        }

        /** The client sent a close frame (or broke the protocol): echo a close, then end the connection. */
        void close(byte[] payload, int length) {
            if (dead || closeWhenFlushed) return;
            if (pending != null && !finishPending()) {
                die();                          // cannot put a close frame inside a part-written one
                return;
            }
            if (control.remaining() < length + 2) {
                die();                          // a client that reads nothing: no room left for the close frame
                return;
            }
            control.put((byte) 0x88).put((byte) length).put(payload, 0, length);
            closeWhenFlushed = true;
            if (flushControl()) die();
            else wantWrite(true);
        }

        /** Writes the control bytes now if no frame is part-written, else when the socket can take them. */
        void flushControlOrWait() {
            if (pending == null && !flushControl()) wantWrite(true);
            else if (pending != null) wantWrite(true);
        }

        private boolean flushControl() {
            control.flip();
            int n = write(control);
            control.compact();
            return n >= 0 && control.position() == 0;
        }

        private int write(ByteBuffer b) {
            try {
                return channel.write(b);
            } catch (IOException e) {
                die();
                return -1;
            }
        }

        private void wantWrite(boolean on) {
            if (on == wantsWrite || dead || writeKey == null) return;
            wantsWrite = on;
            try {
                writeKey.interestOps(on ? SelectionKey.OP_WRITE : 0);
            } catch (RuntimeException e) {
                die();
            }
        }

        void die() {
            if (dead) return;
            dead = true;
            if (pending != null) {
                pending.release();
                pending = null;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }

    static void putFrameHeader(ByteBuffer out, int first, int length) {
        out.put((byte) first);
        if (length <= 125) {
            out.put((byte) length);
        } else if (length <= 65535) {
            out.put((byte) 126).put((byte) (length >>> 8)).put((byte) length);
        } else {
            out.put((byte) 127).putLong(length);   // big-endian unless the buffer says otherwise: callers use BIG_ENDIAN
        }
    }

    // ------------------------------------------------------------ the I/O thread

    private static final int HTTP = 0;
    private static final int AUDIO = 1;
    private static final int CONFIG = 2;

    /** A connection as the I/O thread sees it: the request, then (WebSocket) the client's frames. */
    final class Conn {
        final SocketChannel channel;
        final SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);           // write mode: [0, position) not parsed yet
        ByteBuffer out;                                              // write mode: [0, position) not sent yet
        int kind = HTTP;
        boolean withToken;
        Client client;                  // AUDIO, once upgraded
        boolean closeAfterWrite;
        boolean reading = true;
        // the data message being read (CONFIG): its bytes so far
        int messageOpcode = -1;
        byte[] message;
        int messageLength;

        Conn(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.key = channel.register(selector, SelectionKey.OP_READ, this);
        }

        /** Queues bytes to this client from the I/O thread (HTTP answers, config answers, pongs). */
        void queue(byte[] b) {
            if (out == null) out = ByteBuffer.allocate(Math.max(1024, b.length));
            if (out.remaining() < b.length) {
                ByteBuffer bigger = ByteBuffer.allocate(out.position() + b.length + 1024);
                out.flip();
                bigger.put(out);
                out = bigger;
            }
            out.put(b);
            flush();
        }

        void sendText(String s) {
            if (!channel.isOpen()) return;
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ByteBuffer f = ByteBuffer.allocate(b.length + 10);
            putFrameHeader(f, 0x81, b.length);
            f.put(b);
            queue(java.util.Arrays.copyOf(f.array(), f.position()));
        }

        void flush() {
            if (out == null || !channel.isOpen()) return;
            try {
                out.flip();
                channel.write(out);
                out.compact();
            } catch (IOException e) {
                end();
                return;
            }
            boolean left = out.position() > 0;
            if (!left && closeAfterWrite) {
                end();
                return;
            }
            if (key.isValid()) key.interestOps((reading ? SelectionKey.OP_READ : 0) | (left ? SelectionKey.OP_WRITE : 0));
        }

        void end() {
            key.cancel();
            try {
                channel.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }

    private void io() {
        try {
            while (running) {
                selector.select(onReady);
                for (Runnable t; (t = ioTasks.poll()) != null; ) t.run();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) System.err.println("floor: io: " + e);
        } finally {
            running = false;
            LockSupport.unpark(captureThread);
            for (Lane l : lanes) l.selector.wakeup();
            for (SelectionKey k : selector.keys()) {
                try {
                    k.channel().close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            try {
                selector.close();
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void ready(SelectionKey k) {
        if (k.channel() == server) {
            accept();
            return;
        }
        Conn c = (Conn) k.attachment();
        try {
            if (k.isValid() && k.isWritable()) c.flush();
            if (k.isValid() && k.isReadable()) read(c);
        } catch (IOException | RuntimeException e) {
            c.end();
        }
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return;
            }
            if (ch == null) return;
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                new Conn(ch);
                connections.incrementAndGet();
            } catch (IOException e) {
                try {
                    ch.close();
                } catch (IOException x) {
                    // closing anyway
                }
            }
        }
    }

    private void read(Conn c) throws IOException {
        while (c.reading) {
            if (!c.in.hasRemaining()) {
                if (c.kind == HTTP) {
                    answer(c, 431, "Request Header Fields Too Large", "request headers over " + MAX_REQUEST + " bytes");
                    return;
                }
                protocolClose(c, 1009, "message too big");
                return;
            }
            int space = c.in.remaining();
            int n = c.channel.read(c.in);
            if (n < 0) {
                c.end();                        // its send thread finds the channel closed at the next write
                return;
            }
            if (n == 0) return;
            if (c.kind == HTTP) request(c);
            if (c.kind != HTTP) frames(c);
            if (n < space) return;
        }
    }

    /** The HTTP request, once its headers are all in. */
    private void request(Conn c) throws IOException {
        ByteBuffer in = c.in;
        int end = -1;
        for (int i = 3, n = in.position(); i < n; i++) {
            if (in.get(i) == '\n' && in.get(i - 1) == '\r' && in.get(i - 2) == '\n' && in.get(i - 3) == '\r') {
                end = i + 1;
                break;
            }
        }
        if (end < 0) return;
        byte[] raw = new byte[end];
        in.get(0, raw);
        // what came after the headers stays for the frame parser
        in.flip().position(end);
        in.compact();
        String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] start = lines[0].split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
            answer(c, 400, "Bad Request", "not an HTTP/1.1 request");
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String target = start[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = query(q < 0 ? null : target.substring(q + 1));
        String presented = presentedToken(headers.get("authorization"), query.get("token"));
        c.withToken = presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));

        if (!start[0].equals("GET")) {
            answer(c, 405, "Method Not Allowed", start[0] + " " + path + ": only GET is served");
            return;
        }
        boolean audio = path.equals("/ws/audio");
        boolean configPath = path.equals("/ws/config");
        if (path.equals("/stats")) {
            if (!c.withToken && !openReads) {
                answer(c, 401, "Unauthorized", "GET /stats needs the access token (?token= or Authorization: Bearer)");
            } else {
                answer(c, 200, "OK", statsJson());
            }
            return;
        }
        if (!audio && !configPath) {
            answer(c, 404, "Not Found", "no " + path + " here: /ws/audio, /ws/config, /stats");
            return;
        }
        String upgrade = headers.get("upgrade");
        String connection = headers.get("connection");
        String wsKey = headers.get("sec-websocket-key");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket") || connection == null
                || !connection.toLowerCase(Locale.ROOT).contains("upgrade") || wsKey == null) {
            answer(c, 400, "Bad Request", path + " is a WebSocket: send an upgrade request");
            return;
        }
        if (!"13".equals(headers.get("sec-websocket-version"))) {
            answer(c, 426, "Upgrade Required", "Sec-WebSocket-Version 13 only");
            return;
        }
        String stream = query.get("stream");
        if (stream != null && !stream.isBlank() && !stream.equals("main")) {
            answer(c, 404, "Not Found", "no stream '" + stream + "'; streams: main");
            return;
        }
        Lane lane = null;
        if (audio) {
            if (!c.withToken && !openReads) {
                answer(c, 401, "Unauthorized", "GET /ws/audio needs the access token (?token= or Authorization: Bearer)");
                return;
            }
            String header = query.get("header");
            if (!"1".equals(header) && !"true".equalsIgnoreCase(header)) {
                answer(c, 400, "Bad Request", "the floor server sends header mode only: add ?header=1");
                return;
            }
            lane = lanes[0];
            for (Lane l : lanes) if (l.clientCount < lane.clientCount) lane = l;
        }
        c.queue(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + FrameParser.acceptKey(wsKey) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (audio) {
            if (c.out.position() > 0) {
                // the answer did not go out in one write (a client that does not read): not worth serving
                c.end();
                return;
            }
            c.kind = AUDIO;
            Client client = new Client(c.channel, lane);
            c.client = client;
            Lane l = lane;
            l.execute(() -> l.join(client));
        } else {
            c.kind = CONFIG;
            ByteBuffer bigger = ByteBuffer.allocate(MAX_CONFIG_INBOUND + 14);
            c.in.flip();
            bigger.put(c.in);
            c.in = bigger;
        }
    }

    /** The client's frames (masked), as many as are complete in the read buffer. */
    private void frames(Conn c) {
        ByteBuffer in = c.in;
        in.flip();
        while (c.reading) {
            int at = in.position();
            int avail = in.remaining();
            if (avail < 2) break;
            int b0 = in.get(at) & 0xFF;
            int b1 = in.get(at + 1) & 0xFF;
            int len7 = b1 & 0x7F;
            int head = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
            if (avail < head) break;
            long length;
            if (len7 == 126) {
                length = (in.get(at + 2) & 0xFF) << 8 | (in.get(at + 3) & 0xFF);
            } else if (len7 == 127) {
                length = in.order(ByteOrder.BIG_ENDIAN).getLong(at + 2);
            } else {
                length = len7;
            }
            int opcode = b0 & 0x0F;
            boolean fin = (b0 & 0x80) != 0;
            if ((b1 & 0x80) == 0 || (b0 & 0x70) != 0) {
                protocolClose(c, 1002, (b1 & 0x80) == 0 ? "client frames must be masked" : "no extension was agreed");
                break;
            }
            int limit = opcode >= 0x8 ? 125 : c.kind == AUDIO ? MAX_AUDIO_INBOUND : MAX_CONFIG_INBOUND;
            if (length < 0 || length > limit || (opcode >= 0x8 && !fin)) {
                protocolClose(c, opcode >= 0x8 ? 1002 : 1009, opcode >= 0x8 ? "bad control frame" : "message too big");
                break;
            }
            if (avail < head + length) break;
            int mask = at + head - 4;
            int len = (int) length;
            for (int i = 0; i < len; i++) scratch[i] = (byte) (in.get(at + head + i) ^ in.get(mask + (i & 3)));
            in.position(at + head + len);
            switch (opcode) {
                case 0x9 -> pong(c, scratch, len);
                case 0xA -> { }
                case 0x8 -> {
                    int n = len >= 2 ? 2 : 0;   // echo the status code, not the reason
                    c.reading = false;
                    byte[] echo = java.util.Arrays.copyOf(scratch, n);
                    if (c.kind == AUDIO) {
                        Client client = c.client;
                        c.key.interestOps(0);
                        client.lane.execute(() -> client.close(echo, n));
                    } else {
                        c.closeAfterWrite = true;
                        c.queue(new byte[] {(byte) 0x88, (byte) n});
                        if (n > 0 && c.channel.isOpen()) c.queue(echo);
                    }
                }
                case 0x1, 0x2, 0x0 -> {
                    if (c.kind == CONFIG) configFrame(c, opcode, fin, scratch, len);
                    // the audio socket is send-only, as Earshot's: what a client says is ignored
                }
                default -> protocolClose(c, 1002, "unknown opcode " + opcode);
            }
        }
        in.compact();
    }

    private void pong(Conn c, byte[] payload, int length) {
        byte[] copy = java.util.Arrays.copyOf(payload, length);
        if (c.kind == AUDIO) {
            Client client = c.client;
            client.lane.execute(() -> client.controlFrame(0xA, copy, copy.length));
        } else {
            byte[] frame = new byte[2 + length];
            frame[0] = (byte) 0x8A;
            frame[1] = (byte) length;
            System.arraycopy(copy, 0, frame, 2, length);
            c.queue(frame);
        }
    }

    /** Closes with a code after a protocol error. */
    private void protocolClose(Conn c, int code, String reason) {
        c.reading = false;
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(r.length, 123)];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, payload.length - 2);
        if (c.kind == AUDIO) {
            Client client = c.client;
            c.key.interestOps(0);
            client.lane.execute(() -> client.close(payload, payload.length));
        } else {
            c.closeAfterWrite = true;
            byte[] frame = new byte[2 + payload.length];
            frame[0] = (byte) 0x88;
            frame[1] = (byte) payload.length;
            System.arraycopy(payload, 0, frame, 2, payload.length);
            c.queue(frame);
        }
    }

    private void configFrame(Conn c, int opcode, boolean fin, byte[] payload, int length) {
        if (opcode != 0x0) {
            if (c.messageOpcode >= 0) {
                protocolClose(c, 1002, "new message before the last one ended");
                return;
            }
            c.messageOpcode = opcode;
            c.messageLength = 0;
        } else if (c.messageOpcode < 0) {
            protocolClose(c, 1002, "continuation without a message");
            return;
        }
        if (c.messageLength + length > MAX_CONFIG_INBOUND) {
            protocolClose(c, 1009, "message too big");
            return;
        }
        if (c.message == null || c.message.length < c.messageLength + length)
            c.message = java.util.Arrays.copyOf(c.message == null ? new byte[0] : c.message, Math.max(1024, c.messageLength + length));
        System.arraycopy(payload, 0, c.message, c.messageLength, length);
        c.messageLength += length;
        if (!fin) return;
        int op = c.messageOpcode;
        c.messageOpcode = -1;
        if (op == 0x2) {
            c.sendText(refusal("binary messages are not accepted; send the config as JSON text"));
            return;
        }
        configMessage(c, new String(c.message, 0, c.messageLength, StandardCharsets.UTF_8));
    }

    /** One config message, answered as Earshot answers it. */
    private void configMessage(Conn c, String message) {
        if (message.length() > 4096) {
            c.sendText(refusal("message of " + message.length() + " characters is too long; the limit is 4096"));
            return;
        }
        Map<String, Object> values;
        try {
            values = flatJson(message);
        } catch (IllegalArgumentException e) {
            c.sendText(refusal("malformed JSON: " + e.getMessage()
                    + "; send an object such as {\"rate\":48000,\"channels\":6,\"buffer_frames\":4096,\"volume\":80}"));
            return;
        }
        Object t = values.remove("token");
        boolean withToken = t != null
                ? MessageDigest.isEqual(token, String.valueOf(t).getBytes(StandardCharsets.UTF_8)) : c.withToken;
        if (!withToken) {
            c.sendText(refusal("changing the configuration needs the access token: connect with ?token=<token>"
                    + " or add \"token\" to the message (the token is printed when Earshot starts and kept in data/token)"));
            return;
        }
        Config now = config;
        int rate = now.rate(), channels = now.channels(), frames = now.frames(), volume = now.volume();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            Integer n = wholeNumber(v);
            if (!List.of("rate", "channels", "buffer_frames", "volume").contains(key)) {
                c.sendText(refusal("unknown key '" + key + "'; allowed: rate, channels, buffer_frames, volume"));
                return;
            }
            if (n == null) {
                c.sendText(refusal(key + " must be a whole number, got " + v));
                return;
            }
            if (n <= 0 && !key.equals("volume") || key.equals("volume") && (n < 0 || n > 100)) {
                c.sendText(refusal(key.equals("volume") ? "volume must be 0..100, got " + n : key + " must be positive, got " + n));
                return;
            }
            switch (key) {
                case "rate" -> rate = n;
                case "channels" -> channels = n;
                case "buffer_frames" -> frames = n;
                default -> volume = n;
            }
        }
        Config wanted = new Config(rate, channels, frames, volume);
        String problem = wanted.problem();
        if (problem != null) {
            c.sendText(refusal(problem));
            return;
        }
        if (wanted.equals(now)) {
            c.sendText("{\"ok\":true,\"config\":" + now.json() + "}");
            return;
        }
        changes.add(new Change(wanted, c));
        LockSupport.unpark(captureThread);
    }

    /** A whole number that fits an int, or a string of digits (some easy-dsp clients send strings); else null. */
    static Integer wholeNumber(Object v) {
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return (int) (long) l;
        if (v instanceof String s && s.trim().matches("-?\\d{1,9}")) return Integer.parseInt(s.trim());
        return null;
    }

    private String refusal(String error) {
        return "{\"ok\":false,\"error\":" + Json.quote(error) + ",\"config\":" + config.json() + "}";
    }

    private void answer(Conn c, int status, String phrase, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String type = status == 200 ? "application/json" : "text/plain; charset=utf-8";
        c.reading = false;
        c.closeAfterWrite = true;
        byte[] head = ("HTTP/1.1 " + status + " " + phrase + "\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length
                + (status == 401 ? "\r\nWWW-Authenticate: Bearer realm=\"Earshot\"" : "")
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + b.length);
        System.arraycopy(b, 0, all, head.length, b.length);
        c.queue(all);
    }

    /** The token a request presents: the bearer header wins over the query parameter, as in Earshot. */
    static String presentedToken(String authorization, String queryToken) {
        if (authorization != null && authorization.trim().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.trim().substring(7).trim();
        }
        return queryToken;
    }

    static Map<String, String> query(String q) {
        Map<String, String> m = new LinkedHashMap<>();
        if (q == null) return m;
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            try {
                m.putIfAbsent(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: not usable
            }
        }
        return m;
    }

    /**
     * A flat JSON object: string keys, values whole numbers (as Long), strings, or anything else as
     * its text (then refused as not a whole number).
     *
     * @throws IllegalArgumentException when it is no flat JSON object
     */
    static Map<String, Object> flatJson(String s) {
        Map<String, Object> m = new LinkedHashMap<>();
        int[] i = {skip(s, 0)};
        expect(s, i, '{');
        if (peek(s, i) == '}') {
            i[0]++;
        } else {
            while (true) {
                String key = string(s, i);
                expect(s, i, ':');
                i[0] = skip(s, i[0]);
                char ch = i[0] < s.length() ? s.charAt(i[0]) : 0;
                Object value;
                if (ch == '"') {
                    value = string(s, i);
                } else {
                    int start = i[0];
                    while (i[0] < s.length() && ",}".indexOf(s.charAt(i[0])) < 0 && !Character.isWhitespace(s.charAt(i[0]))) i[0]++;
                    String text = s.substring(start, i[0]);
                    if (text.isEmpty() || text.startsWith("{") || text.startsWith("[")) throw new IllegalArgumentException("unexpected value at " + start);
                    Object v = text;
                    try {
                        v = Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        try {
                            double d = Double.parseDouble(text);
                            if (d == Math.rint(d) && Math.abs(d) < 1e15) v = (long) d;
                        } catch (NumberFormatException x) {
                            if (!text.equals("true") && !text.equals("false") && !text.equals("null"))
                                throw new IllegalArgumentException("unexpected value '" + text + "'");
                        }
                    }
                    value = v;
                }
                m.put(key, value);
                char next = peek(s, i);
                i[0]++;
                if (next == '}') break;
                if (next != ',') throw new IllegalArgumentException("expected ',' or '}' at " + (i[0] - 1));
            }
        }
        if (skip(s, i[0]) != s.length()) throw new IllegalArgumentException("text after the object");
        return m;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static char peek(String s, int[] i) {
        i[0] = skip(s, i[0]);
        if (i[0] >= s.length()) throw new IllegalArgumentException("unexpected end");
        return s.charAt(i[0]);
    }

    private static void expect(String s, int[] i, char c) {
        if (peek(s, i) != c) throw new IllegalArgumentException("expected '" + c + "' at " + i[0]);
        i[0]++;
    }

    private static String string(String s, int[] i) {
        expect(s, i, '"');
        StringBuilder b = new StringBuilder();
        while (i[0] < s.length()) {
            char c = s.charAt(i[0]++);
            if (c == '"') return b.toString();
            if (c == '\\' && i[0] < s.length()) {
                char e = s.charAt(i[0]++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i[0] + 4 > s.length()) throw new IllegalArgumentException("bad escape");
                        b.append((char) Integer.parseInt(s.substring(i[0], i[0] + 4), 16));
                        i[0] += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }
}
