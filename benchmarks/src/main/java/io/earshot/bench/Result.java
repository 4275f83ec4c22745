package io.earshot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The outcome of one run: the figures of the report, computed from every client's stats. */
public final class Result {

    /** A client that failed to connect, hit an error, or was closed by the other side. */
    public record Failure(int client, boolean stalled, String what, int code, String reason, double atSeconds) {
        String text() {
            StringBuilder b = new StringBuilder("client ").append(client).append(stalled ? " (stalled)" : "").append(": ");
            b.append(what);
            if (code >= 0) b.append(" code ").append(code);
            if (reason != null && !reason.isEmpty()) b.append(" '").append(reason).append('\'');
            if (!Double.isNaN(atSeconds)) b.append(String.format(Locale.ROOT, " at %+.1f s", atSeconds));
            return b.toString();
        }
    }

    /** What became of a stalled client. */
    public record Stalled(int client, long receivedBeforeProbe, boolean closedByServer, int code, String reason,
                          String error, long drained, long skipped, boolean stillLive) { }

    public record CloseStorm(boolean pass, int closed, int of, double closeSeconds, double firstBufferMs,
                             long buffersIn2s, String error) { }

    // what was asked
    public String url;
    public String client;                          // the client implementation: nio or jetty
    public int clients;
    public int stalledClients;
    public double warmupSeconds;
    public double windowSeconds;

    // the stream as the clients were told
    public int rate = -1;
    public int channels = -1;
    public int bufferFrames = -1;
    public int messageBytes = -1;

    // delivery over the window
    public double expectedBuffers = Double.NaN;    // rate / buffer_frames * window seconds
    public long streamBuffers;                     // sequence range the non-stalled clients saw
    public long streamShortfall;                   // fewer buffers in the sequence range than the rate says
    public boolean clientsBehind;                  // no measured client got a buffer captured after the window
    public double behindSeconds = Double.NaN;      // the most up-to-date client's lag when the grace ended
    public int measuredClients;                    // non-stalled
    public double deliveredMinPct = Double.NaN;
    public double deliveredMedianPct = Double.NaN;
    /** Measured (not stalled) clients that got every buffer of the window. */
    public int completeClients;
    public long missingTotal;
    public long gapsTotal;
    public long wrongSizes;
    public long badHeaders;
    public long outOfOrder;
    public long negativeLatencies;
    public long configChangesInWindow;
    public long bytesTotal;
    public double interArrivalP50Ms = Double.NaN;
    public double interArrivalP99Ms = Double.NaN;
    public double interArrivalMaxMs = Double.NaN;
    public double latencyP50Ms = Double.NaN;
    public double latencyP99Ms = Double.NaN;
    public double latencyMaxMs = Double.NaN;

    public int failedClients;                      // non-stalled ones that did not last the run
    public final List<Failure> failures = new ArrayList<>();
    public final List<Stalled> stalled = new ArrayList<>();
    public double connectSeconds = Double.NaN;

    // processes
    public long pid = -1;
    public double runtimeCpuPct = Double.NaN;
    public double runtimeRssMaxMb = Double.NaN;
    public double runtimeRssLastMb = Double.NaN;
    public double toolCpuPct = Double.NaN;

    public CloseStorm closeStorm;
    public final List<String> notes = new ArrayList<>();
    public int exitCode;

    /**
     * Fills the delivery figures from every client's stats.
     *
     * @param windowStartNanos System.nanoTime() at the window start, for the times of failures
     * @param freezeWallNanos  wall clock when recording stopped (end of the grace period)
     * @param fallbackConfig   rate, channels, buffer_frames to assume if no client was told any (may be null)
     */
    void computeDelivery(List<ClientStats> all, double windowSeconds, long windowStartNanos, long freezeWallNanos,
                         int[] fallbackConfig) {
        this.windowSeconds = windowSeconds;
        // the stream config: the most common among the clients that were told one
        Map<String, Integer> configs = new TreeMap<>();
        for (ClientStats c : all) {
            synchronized (c) {
                if (c.bufferFrames > 0) configs.merge(c.rate + "," + c.channels + "," + c.bufferFrames, 1, Integer::sum);
            }
        }
        if (!configs.isEmpty()) {
            String best = configs.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
            String[] p = best.split(",");
            rate = Integer.parseInt(p[0]);
            channels = Integer.parseInt(p[1]);
            bufferFrames = Integer.parseInt(p[2]);
            if (configs.size() > 1) notes.add("clients were told different configs: " + configs);
        } else if (fallbackConfig != null) {
            rate = fallbackConfig[0];
            channels = fallbackConfig[1];
            bufferFrames = fallbackConfig[2];
            notes.add("no client was told the stream config; assuming the requested one");
        }
        if (bufferFrames > 0) {
            messageBytes = ClientStats.HEADER_BYTES + bufferFrames * channels * 2;
            expectedBuffers = (double) rate / bufferFrames * windowSeconds;
        }

        // the buffers the stream made in the window: the sequence range seen by any measured client
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ClientStats c : all) {
            synchronized (c) {
                if (c.stalled || c.firstSequence < 0) continue;
                first = Math.min(first, c.firstSequence);
                last = Math.max(last, c.lastWindowSequence);
            }
        }
        streamBuffers = first == Long.MAX_VALUE ? 0 : last - first + 1;
        boolean anyPastEnd = false;
        long newestCapture = Long.MIN_VALUE;
        for (ClientStats c : all) {
            synchronized (c) {
                if (c.stalled) continue;
                if (c.pastEnd) anyPastEnd = true;
                newestCapture = Math.max(newestCapture, c.lastCapture);
            }
        }
        if (newestCapture != Long.MIN_VALUE) behindSeconds = (freezeWallNanos - newestCapture) / 1e9;
        // up to one buffer less is the window's phase against the period, not a loss
        long floorExpected = Double.isNaN(expectedBuffers) ? 0 : (long) Math.ceil(expectedBuffers) - 1;
        streamShortfall = Math.max(0, floorExpected - streamBuffers);
        long denominator = streamBuffers + streamShortfall;
        clientsBehind = streamShortfall > 0 && !anyPastEnd && newestCapture != Long.MIN_VALUE;

        Histogram inter = new Histogram();
        Histogram latency = new Histogram();
        List<Double> delivered = new ArrayList<>();
        for (ClientStats c : all) {
            synchronized (c) {
                if (!c.stalled) {
                    measuredClients++;
                    long missing = Math.max(0, denominator - c.received);
                    missingTotal += missing;
                    gapsTotal += c.gaps;
                    delivered.add(denominator == 0 ? 0.0 : 100.0 * Math.min(c.received, denominator) / denominator);
                    wrongSizes += c.wrongSize;
                    badHeaders += c.badHeader;
                    outOfOrder += c.outOfOrder;
                    negativeLatencies += c.negativeLatency;
                    configChangesInWindow += c.configChangesInWindow;
                    bytesTotal += c.bytes;
                    inter.add(c.interArrivalMicros);
                    latency.add(c.latencyMicros);
                }
                Failure f = failureOf(c, windowStartNanos);
                if (f != null) {
                    failures.add(f);
                    if (!c.stalled) failedClients++;
                }
            }
        }
        if (!delivered.isEmpty()) {
            double[] d = delivered.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            deliveredMinPct = d[0];
            deliveredMedianPct = median(d);
            for (double x : d) if (x >= 100.0) completeClients++;
        }
        interArrivalP50Ms = ms(inter.percentile(50));
        interArrivalP99Ms = ms(inter.percentile(99));
        interArrivalMaxMs = ms(inter.max());
        latencyP50Ms = ms(latency.percentile(50));
        latencyP99Ms = ms(latency.percentile(99));
        latencyMaxMs = ms(latency.max());
        if (streamShortfall > 0 && Double.isNaN(behindSeconds)) {
            notes.add("no measured client received a buffer with a valid header");
        } else if (streamShortfall > 0) {
            notes.add(clientsBehind
                    ? String.format(Locale.ROOT, "%d buffers captured in the window had reached no client by the end of"
                      + " the grace period: the clients are behind the stream (the newest buffer any client had was captured"
                      + " %.1f s before; counted as missing)", streamShortfall, behindSeconds)
                    : "the runtime's sequence numbers cover " + streamShortfall + " buffers fewer than its rate implies"
                      + " (capture stalls or restarts; counted as missing for every client)");
        }
        if (latencyP50Ms > 1000)
            notes.add(String.format(Locale.ROOT, "median latency %.1f s: the runtime or this tool cannot keep up"
                    + " (compare the CPU figures)", latencyP50Ms / 1000));
        if (negativeLatencies > 0)
            notes.add(negativeLatencies + " buffers arrived before their capture time: the runtime's clock and this tool's disagree");
        if (badHeaders > 0)
            notes.add(badHeaders + " binary messages had no valid ES01 header: is header mode (?header=1) served?");
        if (configChangesInWindow > 0)
            notes.add("the stream config changed during the window (" + configChangesInWindow + " client notices)");
    }

    /** Stalled clients, after the probe that made them read again. */
    void computeStalled(List<ClientStats> all) {
        for (ClientStats c : all) {
            if (!c.stalled) continue;
            synchronized (c) {
                boolean closedByServer = c.closedNanos >= 0 && !c.closedByUs;
                long skipped = c.sequenceAtRelease >= 0 && c.firstSequenceAfterRelease >= 0 ? c.skippedAfterRelease : -1;
                stalled.add(new Stalled(c.id, c.messagesAtRelease >= 0 ? c.messagesAtRelease : c.messages,
                        closedByServer, closedByServer ? c.closeCode : -1, closedByServer ? c.closeReason : null,
                        c.connectError != null ? c.connectError : c.error, c.messagesAfterRelease, skipped, c.caughtUp));
            }
        }
    }

    private static Failure failureOf(ClientStats c, long windowStartNanos) {
        if (c.connectError != null) return new Failure(c.id, c.stalled, "connect failed: " + c.connectError, -1, null, Double.NaN);
        if (c.closedNanos >= 0 && !c.closedByUs) {
            String what = c.error != null ? "closed after error: " + c.error : "closed by server";
            return new Failure(c.id, c.stalled, what, c.closeCode, c.closeReason, (c.closedNanos - windowStartNanos) / 1e9);
        }
        if (c.error != null) return new Failure(c.id, c.stalled, "error: " + c.error, -1, null, Double.NaN);
        return null;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double ms(long micros) {
        return micros < 0 ? Double.NaN : micros / 1000.0;
    }

    // ---------------------------------------------------------------- output

    private static String f(String pattern, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, pattern, v);
    }

    private String triple(double a, double b, double c) {
        return f("%.2f", a) + " / " + f("%.2f", b) + " / " + f("%.2f", c);
    }

    /** Failure reasons grouped: "1006 'Disconnected' x3, connect failed x1". */
    String failureSummary(boolean stalledOnes) {
        Map<String, Integer> groups = new TreeMap<>();
        for (Failure x : failures) {
            if (x.stalled() != stalledOnes) continue;
            String key = x.code() >= 0 ? x.code() + (x.reason() == null || x.reason().isEmpty() ? "" : " '" + x.reason() + "'")
                    : x.what();
            groups.merge(key, 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        groups.forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" x").append(n));
        return b.toString();
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Earshot fan-out: %s  clients %d (stalled %d%s)  warm-up %.1f s  window %.1f s%n",
                url, clients, stalledClients, client == null ? "" : ", " + client + " client", warmupSeconds, windowSeconds));
        if (bufferFrames > 0) {
            b.append(String.format(Locale.ROOT, "stream: rate %d  channels %d  buffer_frames %d  message %d bytes (24 header)  period %.3f ms%n",
                    rate, channels, bufferFrames, messageBytes, 1000.0 * bufferFrames / rate));
        } else {
            b.append("stream: no client was told a config\n");
        }
        b.append(String.format(Locale.ROOT, "connect: %s s for %d clients%n", f("%.2f", connectSeconds), clients));
        b.append(String.format(Locale.ROOT, "expected buffers per client: %s (sequence range in the window: %d%s)%n",
                f("%.1f", expectedBuffers), streamBuffers,
                streamShortfall == 0 ? "" : Double.isNaN(behindSeconds) ? ", no buffer received"
                        : clientsBehind ? ", " + streamShortfall + " more not arrived in time"
                        : ", stream short by " + streamShortfall));
        b.append(String.format(Locale.ROOT, "delivered (%d measured clients): min %s%%  median %s%%  missing total %d (gaps %d)  wrong sizes %d%n",
                measuredClients, f("%.2f", deliveredMinPct), f("%.2f", deliveredMedianPct), missingTotal, gapsTotal, wrongSizes));
        b.append("inter-arrival ms p50 / p99 / max: ").append(triple(interArrivalP50Ms, interArrivalP99Ms, interArrivalMaxMs)).append('\n');
        b.append("latency ms (capture to client) p50 / p99 / max: ").append(triple(latencyP50Ms, latencyP99Ms, latencyMaxMs)).append('\n');
        b.append(String.format(Locale.ROOT, "received %.1f MB over the window%n", bytesTotal / 1e6));
        if (failures.isEmpty()) {
            b.append("failed/closed clients: none\n");
        } else {
            b.append("failed/closed clients: ").append(failedClients).append(" measured");
            String s = failureSummary(false);
            if (!s.isEmpty()) b.append(" (").append(s).append(')');
            String st = failureSummary(true);
            if (!st.isEmpty()) b.append("; stalled: ").append(st);
            b.append('\n');
            int shown = 0;
            for (Failure x : failures) {
                if (shown++ == 20) {
                    b.append("  ... ").append(failures.size() - 20).append(" more\n");
                    break;
                }
                b.append("  ").append(x.text()).append('\n');
            }
        }
        for (Stalled s : stalled) {
            b.append("stalled client ").append(s.client()).append(": received ").append(s.receivedBeforeProbe()).append(" before the probe; ");
            if (s.closedByServer()) {
                b.append("closed by the server, code ").append(s.code());
                if (s.reason() != null && !s.reason().isEmpty()) b.append(" '").append(s.reason()).append('\'');
            } else if (s.error() != null) {
                b.append(s.error());
            } else if (s.stillLive()) {
                b.append("still open: read again, it drained ").append(s.drained()).append(" buffers and was live again");
            } else {
                b.append("still open, not live within the probe (drained ").append(s.drained()).append(')');
            }
            if (s.skipped() >= 0) b.append("; sequence gaps in what it read: ").append(s.skipped()).append(" buffers the server dropped for it");
            b.append('\n');
        }
        if (pid > 0) {
            b.append(String.format(Locale.ROOT, "runtime (pid %d): CPU %s%% of one core  RSS max %s MB  last %s MB%n",
                    pid, f("%.1f", runtimeCpuPct), f("%.1f", runtimeRssMaxMb), f("%.1f", runtimeRssLastMb)));
        }
        b.append(String.format(Locale.ROOT, "load tool: CPU %s%% of one core%n", f("%.1f", toolCpuPct)));
        if (closeStorm != null) {
            b.append(String.format(Locale.ROOT, "close storm: %s  (%d of %d closes done in %.2f s; new client: first buffer after %s ms, %d buffers in 2 s%s)%n",
                    closeStorm.pass() ? "PASS" : "FAIL", closeStorm.closed(), closeStorm.of(), closeStorm.closeSeconds(),
                    f("%.0f", closeStorm.firstBufferMs()), closeStorm.buffersIn2s(),
                    closeStorm.error() == null ? "" : "; " + closeStorm.error()));
        }
        for (String n : notes) b.append("note: ").append(n).append('\n');
        return b.toString();
    }

    public static String markdownHeader() {
        return "| ch | frames | clients | stalled | expected buffers | delivered min % | delivered median % | missing "
                + "| wrong size | inter-arrival p50 / p99 / max ms | latency p50 / p99 / max ms | failed clients "
                + "| stalled closed by server | runtime CPU % | runtime RSS max MB | tool CPU % | close storm | client |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    public String markdownRow() {
        String failed = Integer.toString(failedClients);
        String summary = failureSummary(false);
        if (!summary.isEmpty()) failed += " (" + summary.replace("|", "/") + ")";
        String stalledCell = "-";
        if (stalledClients > 0) {
            long closed = stalled.stream().filter(Stalled::closedByServer).count();
            stalledCell = closed + "/" + stalledClients;
            String codes = failureSummary(true);
            if (!codes.isEmpty()) stalledCell += " (" + codes.replace("|", "/") + ")";
        }
        return "| " + (channels > 0 ? channels : "-") + " | " + (bufferFrames > 0 ? bufferFrames : "-") + " | " + clients
                + " | " + stalledClients + " | " + f("%.1f", expectedBuffers) + " | " + f("%.2f", deliveredMinPct)
                + " | " + f("%.2f", deliveredMedianPct) + " | " + missingTotal + " | " + wrongSizes
                + " | " + triple(interArrivalP50Ms, interArrivalP99Ms, interArrivalMaxMs)
                + " | " + triple(latencyP50Ms, latencyP99Ms, latencyMaxMs)
                + " | " + failed + " | " + stalledCell
                + " | " + f("%.1f", runtimeCpuPct) + " | " + f("%.1f", runtimeRssMaxMb) + " | " + f("%.1f", toolCpuPct)
                + " | " + (closeStorm == null ? "-" : closeStorm.pass() ? "pass" : "FAIL") + " | " + (client == null ? "-" : client) + " |";
    }

    public String json() {
        StringBuilder b = new StringBuilder("{");
        kv(b, "url", Json.quote(url));
        kv(b, "client", Json.quote(client));
        kv(b, "clients", clients);
        kv(b, "stalled", stalledClients);
        kv(b, "warmup_s", Json.num(warmupSeconds));
        kv(b, "window_s", Json.num(windowSeconds));
        kv(b, "rate", rate);
        kv(b, "channels", channels);
        kv(b, "buffer_frames", bufferFrames);
        kv(b, "message_bytes", messageBytes);
        kv(b, "connect_s", Json.num(round(connectSeconds, 3)));
        kv(b, "expected_buffers", Json.num(round(expectedBuffers, 3)));
        kv(b, "stream_buffers", streamBuffers);
        kv(b, "stream_shortfall", streamShortfall);
        kv(b, "clients_behind", clientsBehind);
        kv(b, "behind_s", Json.num(round(behindSeconds, 3)));
        kv(b, "measured_clients", measuredClients);
        kv(b, "delivered_min_pct", Json.num(round(deliveredMinPct, 3)));
        kv(b, "delivered_median_pct", Json.num(round(deliveredMedianPct, 3)));
        kv(b, "complete_clients", completeClients);
        kv(b, "missing", missingTotal);
        kv(b, "gaps", gapsTotal);
        kv(b, "wrong_sizes", wrongSizes);
        kv(b, "bad_headers", badHeaders);
        kv(b, "out_of_order", outOfOrder);
        kv(b, "bytes", bytesTotal);
        kv(b, "inter_arrival_ms", "{\"p50\":" + Json.num(round(interArrivalP50Ms, 3)) + ",\"p99\":"
                + Json.num(round(interArrivalP99Ms, 3)) + ",\"max\":" + Json.num(round(interArrivalMaxMs, 3)) + "}");
        kv(b, "latency_ms", "{\"p50\":" + Json.num(round(latencyP50Ms, 3)) + ",\"p99\":"
                + Json.num(round(latencyP99Ms, 3)) + ",\"max\":" + Json.num(round(latencyMaxMs, 3)) + "}");
        kv(b, "failed_clients", failedClients);
        StringBuilder fl = new StringBuilder("[");
        for (Failure x : failures) {
            if (fl.length() > 1) fl.append(',');
            fl.append("{\"client\":").append(x.client()).append(",\"stalled\":").append(x.stalled())
                    .append(",\"what\":").append(Json.quote(x.what())).append(",\"code\":").append(x.code())
                    .append(",\"reason\":").append(Json.quote(x.reason()))
                    .append(",\"at_s\":").append(Json.num(round(x.atSeconds(), 3))).append('}');
        }
        kv(b, "failures", fl.append(']').toString());
        StringBuilder sl = new StringBuilder("[");
        for (Stalled s : stalled) {
            if (sl.length() > 1) sl.append(',');
            sl.append("{\"client\":").append(s.client()).append(",\"received\":").append(s.receivedBeforeProbe())
                    .append(",\"closed_by_server\":").append(s.closedByServer()).append(",\"code\":").append(s.code())
                    .append(",\"reason\":").append(Json.quote(s.reason())).append(",\"error\":").append(Json.quote(s.error()))
                    .append(",\"drained\":").append(s.drained()).append(",\"skipped\":").append(s.skipped())
                    .append(",\"live_again\":").append(s.stillLive()).append('}');
        }
        kv(b, "stalled_clients", sl.append(']').toString());
        kv(b, "pid", pid);
        kv(b, "runtime_cpu_pct", Json.num(round(runtimeCpuPct, 2)));
        kv(b, "runtime_rss_max_mb", Json.num(round(runtimeRssMaxMb, 1)));
        kv(b, "runtime_rss_last_mb", Json.num(round(runtimeRssLastMb, 1)));
        kv(b, "tool_cpu_pct", Json.num(round(toolCpuPct, 2)));
        if (closeStorm != null) {
            kv(b, "close_storm", "{\"pass\":" + closeStorm.pass() + ",\"closed\":" + closeStorm.closed() + ",\"of\":" + closeStorm.of()
                    + ",\"close_s\":" + Json.num(round(closeStorm.closeSeconds(), 3))
                    + ",\"first_buffer_ms\":" + Json.num(round(closeStorm.firstBufferMs(), 1))
                    + ",\"buffers_in_2s\":" + closeStorm.buffersIn2s() + ",\"error\":" + Json.quote(closeStorm.error()) + "}");
        } else {
            kv(b, "close_storm", "null");
        }
        StringBuilder nl = new StringBuilder("[");
        for (String n : notes) nl.append(nl.length() > 1 ? "," : "").append(Json.quote(n));
        kv(b, "notes", nl.append(']').toString());
        return b.append('}').toString();
    }

    private static double round(double v, int digits) {
        if (Double.isNaN(v)) return v;
        double p = Math.pow(10, digits);
        return Math.round(v * p) / p;
    }

    private static void kv(StringBuilder b, String key, Object value) {
        if (b.length() > 1) b.append(',');
        b.append('"').append(key).append("\":").append(value);
    }

    @Override
    public String toString() {
        return text();
    }
}
