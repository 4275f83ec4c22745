package io.earshot.bench;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * Fan-out load tool: N WebSocket clients on Earshot's audio stream (header mode), a warm-up, a
 * measured window, one report. The audio clients are either plain non-blocking sockets on a few
 * selector threads ({@link NioAudioClients}, the default) or Jetty's WebSocket client
 * ({@link JettyAudioClients}); the config change and {@code --status} always go through Jetty. See
 * the README of this module.
 */
public final class FanoutLoad {

    private static final long SECOND = 1_000_000_000L;

    private final Options options;
    private final PrintStream out;

    public FanoutLoad(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fanout: " + e.getMessage());
            System.err.println();
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(Options.USAGE);
            return;
        }
        if (o.markdownHeader) {
            System.out.println(Result.markdownHeader());
            return;
        }
        // the backstop: whatever happens, the tool ends
        long limitMs = (long) (o.hardTimeoutSeconds() * 1000);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limitMs);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("fanout: hard timeout of " + limitMs / 1000 + " s reached; stopping");
            Runtime.getRuntime().halt(4);
        }, "fanout-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Result r;
        try {
            r = new FanoutLoad(o, System.out).run();
        } catch (IllegalArgumentException e) {
            System.err.println("fanout: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("fanout: " + ClientStats.describe(e));
            System.exit(1);
            return;
        }
        System.out.flush();
        System.exit(r.exitCode);
    }

    /** Runs the whole measurement and prints the report; returns the result (also for tests). */
    public Result run() throws Exception {
        Options o = options;
        checkHost(o.url);
        checkHost(o.configUrl);

        ProcStats runtime = null;
        if (o.pid > 0) {
            runtime = new ProcStats(Long.toString(o.pid));
            if (!runtime.exists()) throw new IllegalArgumentException("no process " + o.pid + " (no /proc/" + o.pid + "/stat)");
        }
        ProcStats self = new ProcStats("self");
        ProcStats.clockTicksPerSecond();

        Result r = new Result();
        r.url = ConfigClient.redact(o.url);
        r.client = o.client;
        r.clients = o.clients;
        r.stalledClients = o.stalled;
        r.warmupSeconds = o.warmupSeconds;
        r.pid = o.pid;

        boolean jetty = "jetty".equals(o.client);
        // with the nio client, Jetty carries only the config change and --status
        int threads = jetty ? o.threads : 4;
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(4, threads), Math.min(4, threads));
        pool.setName("fanout");
        pool.setDaemon(true);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(jetty ? o.selectors() : 1));
        http.setExecutor(pool);
        http.setMaxConnectionsPerDestination(o.clients + 16);
        http.setMaxRequestsQueuedPerDestination(o.clients + 16);
        http.setConnectTimeout((long) (o.connectTimeoutSeconds * 1000));
        http.setIdleTimeout((long) (o.hardTimeoutSeconds() * 1000));
        WebSocketCoreClient ws = new WebSocketCoreClient(http, null);
        ws.start();
        AudioClients audio = null;
        try {
            audio = jetty ? new JettyAudioClients(ws, o) : new NioAudioClients(o.selectors(), o.inputBuffer);
            if (o.config != null) {
                String reply = ConfigClient.apply(ws, withQuery(o.configUrl, false), o.config[0], o.config[1], o.config[2],
                        Math.max(5, o.connectTimeoutSeconds));
                out.println("config applied: " + reply);
            }
            measure(o, audio, r, runtime, self);
            if (o.status) printStatus(http);
            closeAll(o, audio, r);
        } catch (IllegalStateException e) {
            out.println("fanout: " + e.getMessage());
            r.exitCode = 1;
            r.notes.add(e.getMessage());
            return r;
        } finally {
            if (audio != null) audio.close();
            try {
                ws.stop();
            } catch (Exception e) {
                // stopping aborts what is left; nothing to report
            }
        }

        out.print(r.text());
        if (o.markdown) {
            out.println(Result.markdownHeader());
            out.println(r.markdownRow());
        }
        if (o.json) out.println("JSON " + r.json());
        return r;
    }

    private List<AudioClients.Connection> clients;

    private void measure(Options o, AudioClients audio, Result r, ProcStats runtime, ProcStats self) throws Exception {
        Window window = new Window();
        URI audioUri = withQuery(o.url, true);
        clients = new ArrayList<>(o.clients);
        List<CompletableFuture<?>> futures = new ArrayList<>(o.clients);
        boolean[] stalled = stalledSlots(o.clients, o.stalled);
        long connectStart = System.nanoTime();
        long connectTimeoutMs = (long) (o.connectTimeoutSeconds * 1000);
        for (int i = 0; i < o.clients; i++) {
            AudioClients.Connection client = audio.connect(audioUri, new ClientStats(i, stalled[i]), window, connectTimeoutMs);
            clients.add(client);
            futures.add(client.upgrade());
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]))
                    .get(connectTimeoutMs + 5000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // individual failures are recorded per client below
        }
        for (int i = 0; i < futures.size(); i++) {
            CompletableFuture<?> f = futures.get(i);
            if (!f.isDone()) {
                f.cancel(true);
                clients.get(i).stats().connectFailed(new java.util.concurrent.TimeoutException("no upgrade within "
                        + o.connectTimeoutSeconds + " s"));
            }
        }
        r.connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        long connected = clients.stream().filter(c -> c.stats().connectError == null).count();
        if (connected == 0) {
            String why = clients.isEmpty() ? "" : clients.get(0).stats().connectError;
            throw new IllegalStateException("no client could connect to " + ConfigClient.redact(audioUri) + ": " + why);
        }

        long startWall = window.nowWallNanos() + (long) (o.warmupSeconds * SECOND);
        long endWall = startWall + (long) (o.seconds * SECOND);
        window.set(startWall, endWall);
        long startNanos = window.nanoTimeAt(startWall);
        long endNanos = window.nanoTimeAt(endWall);

        sleepUntil(startNanos);
        long runtimeTicks0 = runtime == null ? -1 : runtime.cpuTicks();
        long selfTicks0 = self.cpuTicks();
        long cpuStart = System.nanoTime();
        long rssMax = -1;
        long rssLast = -1;
        for (long next = cpuStart; ; ) {
            if (runtime != null) {
                long rss = runtime.rssKb();
                if (rss >= 0) {
                    rssLast = rss;
                    rssMax = Math.max(rssMax, rss);
                }
            }
            next += SECOND;
            if (next >= endNanos) break;
            sleepUntil(next);
        }
        sleepUntil(endNanos);
        long runtimeTicks1 = runtime == null ? -1 : runtime.cpuTicks();
        long selfTicks1 = self.cpuTicks();
        long cpuNanos = System.nanoTime() - cpuStart;
        if (runtime != null) {
            long rss = runtime.rssKb();
            if (rss >= 0) {
                rssLast = rss;
                rssMax = Math.max(rssMax, rss);
            }
            r.runtimeCpuPct = ProcStats.percent(runtimeTicks0, runtimeTicks1, cpuNanos);
            r.runtimeRssMaxMb = rssMax < 0 ? Double.NaN : rssMax / 1024.0;
            r.runtimeRssLastMb = rssLast < 0 ? Double.NaN : rssLast / 1024.0;
        }
        r.toolCpuPct = ProcStats.percent(selfTicks0, selfTicks1, cpuNanos);

        // grace: buffers captured inside the window may still be on their way
        long graceEnd = System.nanoTime() + (long) (o.graceSeconds * SECOND);
        while (System.nanoTime() < graceEnd) {
            boolean waiting = false;
            for (AudioClients.Connection c : clients) {
                if (!c.stats().stalled && !c.stats().isClosed() && !c.stats().isPastEnd()) {
                    waiting = true;
                    break;
                }
            }
            if (!waiting) break;
            Thread.sleep(20);
        }
        window.freeze();
        long freezeWall = window.nowWallNanos();
        List<ClientStats> all = new ArrayList<>();
        for (AudioClients.Connection c : clients) all.add(c.stats());
        r.computeDelivery(all, window.seconds(), startNanos, freezeWall, o.config);

        // stalled clients: read again to learn whether the server closed them meanwhile
        if (o.stalled > 0) {
            for (AudioClients.Connection c : clients) if (c.stats().stalled && !c.stats().isClosed()) c.release();
            long probeEnd = System.nanoTime() + 3 * SECOND;
            while (System.nanoTime() < probeEnd) {
                boolean waiting = false;
                for (AudioClients.Connection c : clients) {
                    if (c.stats().stalled && !c.stats().isClosed() && !c.stats().isCaughtUp()) {
                        waiting = true;
                        break;
                    }
                }
                if (!waiting) break;
                Thread.sleep(20);
            }
            r.computeStalled(all);
        }
    }

    private void closeAll(Options o, AudioClients audio, Result r) throws Exception {
        List<AudioClients.Connection> open = new ArrayList<>();
        for (AudioClients.Connection c : clients) {
            if (c.isOpen() && !c.stats().isClosed()) open.add(c);
        }
        for (AudioClients.Connection c : open) c.stats().closingByUs();
        long t0 = System.nanoTime();
        for (AudioClients.Connection c : open) c.close(o.closeStorm ? "close storm" : "done");
        if (o.closeStorm) {
            // right away: does the runtime still serve a new client?
            Window w = new Window();
            w.freeze();
            long connectAt = System.nanoTime();
            AudioClients.Connection probe = audio.connect(withQuery(o.url, true), new ClientStats(-1, false), w, 2000);
            String error = null;
            try {
                probe.upgrade().get(2500, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                error = "new client: " + ClientStats.describe(e.getCause() != null ? e.getCause() : e);
            }
            long deadline = connectAt + 2 * SECOND;
            while (System.nanoTime() < deadline) Thread.sleep(10);
            ClientStats ps = probe.stats();
            long first = ps.firstMessageNanos();
            double firstMs = first < 0 ? Double.NaN : (first - connectAt) / 1e6;
            long buffers = ps.messages();
            if (error == null && ps.isClosed())
                error = "new client closed: code " + ps.closeCode + " '" + ps.closeReason + "'";
            waitClosed(open, t0 + 5 * SECOND);
            int closed = 0;
            long lastClose = t0;
            for (AudioClients.Connection c : open) {
                ClientStats s = c.stats();
                synchronized (s) {
                    if (s.closedNanos >= 0) {
                        closed++;
                        lastClose = Math.max(lastClose, s.closedNanos);
                    }
                }
            }
            double closeSeconds = (lastClose - t0) / 1e9;
            boolean pass = error == null && first >= 0 && first - connectAt <= 2 * SECOND;
            r.closeStorm = new Result.CloseStorm(pass, closed, open.size(), closeSeconds, firstMs, buffers, error);
            if (!pass) r.exitCode = 3;
            if (probe.isOpen()) probe.close("done");
        } else {
            waitClosed(open, t0 + 3 * SECOND);
        }
    }

    private static void waitClosed(List<AudioClients.Connection> open, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (AudioClients.Connection c : open) {
                if (!c.stats().isClosed()) {
                    all = false;
                    break;
                }
            }
            if (all) return;
            Thread.sleep(10);
        }
    }

    private void printStatus(HttpClient http) {
        URI u = options.url;
        String scheme = "wss".equals(u.getScheme()) ? "https" : "http";
        URI status = URI.create(scheme + "://" + u.getRawAuthority() + "/api/status");
        try {
            ContentResponse resp = http.newRequest(status).timeout(3, TimeUnit.SECONDS).send();
            out.println("GET /api/status -> " + resp.getStatus() + ": " + resp.getContentAsString());
        } catch (Exception e) {
            out.println("GET /api/status failed: " + ClientStats.describe(e));
        }
    }

    /** {@code url} with header=1 (audio) and the token, if any, added to its query. */
    URI withQuery(URI url, boolean header) {
        StringBuilder q = new StringBuilder(url.getRawQuery() == null ? "" : url.getRawQuery());
        if (header) q.append(q.length() == 0 ? "" : "&").append("header=1");
        if (options.token != null)
            q.append(q.length() == 0 ? "" : "&").append("token=").append(URLEncoder.encode(options.token, StandardCharsets.UTF_8));
        String base = url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        return URI.create(q.length() == 0 ? base : base + "?" + q);
    }

    /** Which clients stall: K slots spread evenly over N. */
    static boolean[] stalledSlots(int n, int k) {
        boolean[] s = new boolean[n];
        for (int j = 0; j < k; j++) s[(int) Math.min(n - 1, (long) ((j + 0.5) * n / k))] = true;
        return s;
    }

    private void checkHost(URI u) throws UnknownHostException {
        if (options.allowRemote) return;
        String host = u.getHost();
        if (host == null) throw new IllegalArgumentException("no host in " + u);
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        for (InetAddress a : InetAddress.getAllByName(h)) {
            if (!a.isLoopbackAddress())
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s is not a loopback address; pass --allow-remote to load a runtime on another machine", host));
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) LockSupport.parkNanos(left);
    }
}
