package io.earshot.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@link FanoutLoad}. */
public final class Options {

    public static final String USAGE = """
            Usage: java -jar earshot-fanout.jar [options]

            Connects N WebSocket clients to Earshot's audio stream in header mode (?header=1), lets them
            warm up, then measures for a fixed window and prints one report.

              --url URL            audio WebSocket (default ws://127.0.0.1:7320/ws/audio)
              --client nio|jetty   the client implementation: nio (plain non-blocking sockets on a few
                                   selector threads, the cheap one; ws:// only) or jetty (Jetty's
                                   WebSocket client) (default nio)
              --token TOKEN        access token, sent as ?token= (audio and config)
              --clients N          clients to connect (default 10)
              --stalled K          K of the N clients read their first buffer and then stop reading
                                   (the socket backs up) (default 0)
              --config R,C,F       before connecting, set rate R, channels C, buffer_frames F
                                   through the config WebSocket (needs --token)
              --config-url URL     config WebSocket (default: --url with /ws/audio -> /ws/config)
              --warmup SECONDS     before the window (default 10)
              --seconds SECONDS    measured window (default 30)
              --pid PID            the runtime's process: CPU (utime+stime) and RSS over the window
              --close-storm        at the end close all clients at once, then check that a new client
                                   gets buffers within 2 s (PASS/FAIL; exit code 3 on FAIL)
              --status             print GET /api/status of the runtime after the window
              --json               also print the result as one JSON line (prefixed "JSON ")
              --markdown           also print the result as one markdown table row
              --markdown-header    print the markdown table header and exit
              --connect-timeout S  per client connect/upgrade timeout (default 10)
              --grace S            after the window, wait up to S for buffers captured inside it
                                   (default 5)
              --input-buffer BYTES read buffer per client (default 65536)
              --threads N          jetty: the client's thread pool, shared by all connections (default 16)
              --selectors N        selector threads (default 2 for nio, 1 for jetty)
              --timeout S          hard limit for the whole run (default: warmup + seconds + 120)
              --allow-remote       allow a host that is not a loopback address
              --help

            Exit code: 0 done (failed clients are reported, not fatal), 1 config refused or nothing could
            connect, 2 bad usage, 3 close storm FAIL, 4 hard timeout.
            """;

    public URI url = URI.create("ws://127.0.0.1:7320/ws/audio");
    public String client = "nio";    // "nio" or "jetty"
    public String token;
    public int clients = 10;
    public int stalled;
    public int[] config;             // rate, channels, buffer_frames; null = leave as is
    public URI configUrl;
    public double warmupSeconds = 10;
    public double seconds = 30;
    public long pid = -1;
    public boolean closeStorm;
    public boolean status;
    public boolean json;
    public boolean markdown;
    public boolean markdownHeader;
    public double connectTimeoutSeconds = 10;
    public double graceSeconds = 5;
    public int inputBuffer = 65536;
    public int threads = 16;
    public int selectors;            // 0: the client's default
    public double timeoutSeconds = -1;
    public boolean allowRemote;
    public boolean help;

    /** @throws IllegalArgumentException with a message for the user */
    public static Options parse(String... args) {
        Options o = new Options();
        List<String> list = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                list.add(a.substring(0, eq));
                list.add(a.substring(eq + 1));
            } else {
                list.add(a);
            }
        }
        for (int i = 0; i < list.size(); i++) {
            String a = list.get(i);
            switch (a) {
                case "--json" -> o.json = true;
                case "--markdown" -> o.markdown = true;
                case "--markdown-header" -> o.markdownHeader = true;
                case "--close-storm" -> o.closeStorm = true;
                case "--status" -> o.status = true;
                case "--allow-remote" -> o.allowRemote = true;
                case "--help", "-h" -> o.help = true;
                default -> {
                    if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    if (i + 1 >= list.size()) throw new IllegalArgumentException(a + " needs a value");
                    String v = list.get(++i);
                    switch (a) {
                        case "--url" -> o.url = uri(a, v);
                        case "--client" -> {
                            if (!"nio".equals(v) && !"jetty".equals(v))
                                throw new IllegalArgumentException("--client must be nio or jetty, got '" + v + "'");
                            o.client = v;
                        }
                        case "--token" -> o.token = v;
                        case "--clients" -> o.clients = integer(a, v, 1, 100_000);
                        case "--stalled" -> o.stalled = integer(a, v, 0, 100_000);
                        case "--config" -> o.config = config(v);
                        case "--config-url" -> o.configUrl = uri(a, v);
                        case "--warmup" -> o.warmupSeconds = number(a, v, 0, 3600);
                        case "--seconds" -> o.seconds = number(a, v, 0.1, 3600);
                        case "--pid" -> o.pid = integer(a, v, 1, Integer.MAX_VALUE);
                        case "--connect-timeout" -> o.connectTimeoutSeconds = number(a, v, 0.1, 600);
                        case "--grace" -> o.graceSeconds = number(a, v, 0, 600);
                        case "--input-buffer" -> o.inputBuffer = integer(a, v, 1024, 64 << 20);
                        case "--threads" -> o.threads = integer(a, v, 4, 1000);
                        case "--selectors" -> o.selectors = integer(a, v, 1, 64);
                        case "--timeout" -> o.timeoutSeconds = number(a, v, 1, 24 * 3600);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (o.stalled > o.clients)
            throw new IllegalArgumentException("--stalled " + o.stalled + " is more than --clients " + o.clients);
        String scheme = o.url.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme))
            throw new IllegalArgumentException("--url must be ws:// or wss://, got " + o.url);
        if ("nio".equals(o.client) && !"ws".equals(scheme))
            throw new IllegalArgumentException("--client nio speaks ws:// only; use --client jetty for " + o.url);
        if (o.configUrl == null) o.configUrl = deriveConfigUrl(o.url);
        return o;
    }

    /** Selector threads: as given, else 2 for the nio client and 1 for Jetty's. */
    public int selectors() {
        return selectors > 0 ? selectors : "nio".equals(client) ? 2 : 1;
    }

    /** The whole run's hard limit: warm-up and window plus room for connecting and closing. */
    public double hardTimeoutSeconds() {
        return timeoutSeconds > 0 ? timeoutSeconds : warmupSeconds + seconds + 120;
    }

    static URI deriveConfigUrl(URI audio) {
        String path = audio.getPath() == null ? "" : audio.getPath();
        String configPath = path.endsWith("/audio") ? path.substring(0, path.length() - "/audio".length()) + "/config"
                : "/ws/config";
        return URI.create(audio.getScheme() + "://" + audio.getRawAuthority() + configPath);
    }

    private static URI uri(String option, String v) {
        try {
            URI u = URI.create(v);
            if (u.getHost() == null) throw new IllegalArgumentException("no host");
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": not a URL: " + v);
        }
    }

    private static int integer(String option, String v, int min, int max) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + v);
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + v + "'");
        }
    }

    private static double number(String option, String v, double min, double max) {
        try {
            double n = Double.parseDouble(v.trim());
            if (!(n >= min && n <= max)) throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + v + "'");
        }
    }

    private static int[] config(String v) {
        String[] parts = v.split(",");
        if (parts.length != 3)
            throw new IllegalArgumentException("--config needs rate,channels,buffer_frames (e.g. 48000,6,4096), got '" + v + "'");
        return new int[] {
                integer("--config rate", parts[0], 1, 10_000_000),
                integer("--config channels", parts[1], 1, 4096),
                integer("--config buffer_frames", parts[2], 1, 10_000_000)};
    }
}
