package io.earshot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of {@code run-floor.sh}: from its list of runs (one line each: row, channels, frames,
 * clients, stalled, server {@code earshot} or {@code floor}, pass, report file; tab-separated) and
 * the load tool's reports (their {@code JSON} line), one markdown row per row of the run: both
 * servers' CPU (median and range over the passes), the ratio Earshot / floor (median and range of
 * the ratios of the passes, each pass's Earshot run against the floor run right after it), the
 * clients that got every buffer (the worst pass) and the inter-arrival p99 (median and the worst).
 */
public final class FloorTable {

    /** One run's figures; NaN where its report has none. */
    record Run(double cpu, double toolCpu, int measured, int complete, double interP99, String problem) { }

    private static final class Row {
        final String ch, frames, clients, stalled;
        final Map<Integer, Run> earshot = new LinkedHashMap<>();
        final Map<Integer, Run> floor = new LinkedHashMap<>();

        Row(String ch, String frames, String clients, String stalled) {
            this.ch = ch;
            this.frames = frames;
            this.clients = clients;
            this.stalled = stalled;
        }
    }

    private FloorTable() { }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: FloorTable RUNS.tsv");
            System.exit(2);
        }
        System.out.print(table(Files.readAllLines(Path.of(args[0])), Path.of(args[0]).getParent()));
    }

    static String table(List<String> runs, Path dir) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String line : runs) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            if (f.length < 8) continue;
            Row row = rows.computeIfAbsent(f[0], k -> new Row(f[1], f[2], f[3], f[4]));
            Path report = Path.of(f[7]);
            if (!report.isAbsolute() && dir != null) report = dir.resolve(report);
            Run run = read(report);
            int pass = Integer.parseInt(f[6]);
            ("earshot".equals(f[5]) ? row.earshot : row.floor).put(pass, run);
            if (run.problem() != null)
                problems.add(f[1] + " ch x " + f[2] + " x " + f[3] + " clients, " + f[5] + ", pass " + pass + ": " + run.problem());
        }
        StringBuilder b = new StringBuilder();
        b.append("| ch | frames | clients | stalled | passes | Earshot CPU % | floor CPU % | Earshot / floor "
                + "| Earshot clients 100% | floor clients 100% | Earshot inter-arrival p99 ms | floor inter-arrival p99 ms "
                + "| tool CPU % (Earshot / floor runs) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows.values()) {
            List<Double> ratios = new ArrayList<>();
            for (Map.Entry<Integer, Run> e : r.earshot.entrySet()) {
                Run fl = r.floor.get(e.getKey());
                if (fl != null && fl.cpu() > 0 && !Double.isNaN(e.getValue().cpu())) ratios.add(e.getValue().cpu() / fl.cpu());
            }
            b.append("| ").append(r.ch).append(" | ").append(r.frames).append(" | ").append(r.clients).append(" | ")
                    .append(r.stalled).append(" | ").append(Math.max(r.earshot.size(), r.floor.size())).append(" | ")
                    .append(spread(values(r.earshot, Run::cpu), "%.1f")).append(" | ")
                    .append(spread(values(r.floor, Run::cpu), "%.1f")).append(" | ")
                    .append(spread(ratios, "%.2f")).append(" | ")
                    .append(complete(r.earshot)).append(" | ").append(complete(r.floor)).append(" | ")
                    .append(worst(values(r.earshot, Run::interP99))).append(" | ")
                    .append(worst(values(r.floor, Run::interP99))).append(" | ")
                    .append(median(values(r.earshot, Run::toolCpu), "%.1f")).append(" / ")
                    .append(median(values(r.floor, Run::toolCpu), "%.1f")).append(" |\n");
        }
        if (!problems.isEmpty()) {
            b.append('\n');
            for (String p : problems) b.append("- ").append(p).append('\n');
        }
        return b.toString();
    }

    /** The figures of one report; a report without its JSON line gives NaN and the tool's complaint. */
    static Run read(Path report) throws IOException {
        List<String> lines = Files.exists(report) ? Files.readAllLines(report) : List.of();
        String json = null;
        String complaint = null;
        for (String l : lines) {
            if (l.startsWith("JSON {")) json = l.substring(5);
            else if (l.startsWith("fanout:") && complaint == null) complaint = l;
        }
        if (json == null) {
            return new Run(Double.NaN, Double.NaN, 0, 0, Double.NaN,
                    "no result" + (complaint != null ? ": " + complaint : lines.isEmpty() ? " (no report)" : ""));
        }
        int at = json.indexOf("\"inter_arrival_ms\":");
        double p99 = at < 0 ? Double.NaN : number(json.substring(at), "p99");
        String problem = null;
        int failed = (int) number(json, "failed_clients");
        if (failed > 0) problem = failed + " failed clients (see " + report.getFileName() + ")";
        return new Run(number(json, "runtime_cpu_pct"), number(json, "tool_cpu_pct"), (int) number(json, "measured_clients"),
                (int) number(json, "complete_clients"), p99, problem);
    }

    /** The number after the first {@code "key":}, NaN if absent or null. */
    static double number(String json, String key) {
        String k = "\"" + key + "\":";
        int i = json.indexOf(k);
        if (i < 0) return Double.NaN;
        i += k.length();
        int end = i;
        while (end < json.length() && "-+.0123456789eE".indexOf(json.charAt(end)) >= 0) end++;
        try {
            return Double.parseDouble(json.substring(i, end));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private interface Figure {
        double of(Run r);
    }

    private static List<Double> values(Map<Integer, Run> runs, Figure figure) {
        List<Double> v = new ArrayList<>();
        for (Run r : runs.values()) {
            double x = figure.of(r);
            if (!Double.isNaN(x)) v.add(x);
        }
        return v;
    }

    /** "median (min-max)", or the one value, or "-". */
    static String spread(List<Double> v, String format) {
        if (v.isEmpty()) return "-";
        double[] d = sorted(v);
        String m = String.format(Locale.ROOT, format, median(d));
        if (d.length == 1) return m;
        return "**" + m + "** (" + String.format(Locale.ROOT, format, d[0]) + "-" + String.format(Locale.ROOT, format, d[d.length - 1]) + ")";
    }

    private static String median(List<Double> v, String format) {
        return v.isEmpty() ? "-" : String.format(Locale.ROOT, format, median(sorted(v)));
    }

    /** "median (worst)" of the inter-arrival p99. */
    private static String worst(List<Double> v) {
        if (v.isEmpty()) return "-";
        double[] d = sorted(v);
        String m = String.format(Locale.ROOT, "%.1f", median(d));
        return d.length == 1 ? m : m + " (max " + String.format(Locale.ROOT, "%.1f", d[d.length - 1]) + ")";
    }

    /** Clients that got every buffer, in the pass where the fewest did: "200/200". */
    private static String complete(Map<Integer, Run> runs) {
        Run worst = null;
        for (Run r : runs.values()) {
            if (Double.isNaN(r.cpu()) && r.measured() == 0) return "no result";
            if (worst == null || r.measured() - r.complete() > worst.measured() - worst.complete()) worst = r;
        }
        return worst == null ? "-" : worst.complete() + "/" + worst.measured();
    }

    private static double[] sorted(List<Double> v) {
        double[] d = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(d);
        return d;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
