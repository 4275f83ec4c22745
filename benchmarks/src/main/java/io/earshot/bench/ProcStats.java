package io.earshot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CPU time and resident memory of a process, from Linux's /proc. */
final class ProcStats {

    private final Path stat;
    private final Path status;

    /** @param pid a process id, or "self" */
    ProcStats(String pid) {
        stat = Path.of("/proc", pid, "stat");
        status = Path.of("/proc", pid, "status");
    }

    boolean exists() { return Files.isReadable(stat); }

    /** utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat), or -1 if unreadable. */
    long cpuTicks() {
        try {
            String s = Files.readString(stat);
            // the command name (field 2) is in parentheses and may hold spaces: split after it
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state), so field n is f[n - 3]
            return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS in kB, or -1 if unreadable. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    private static volatile long clockTicks;

    /** The kernel's USER_HZ (clock ticks per second of /proc CPU times): getconf CLK_TCK, else 100. */
    static long clockTicksPerSecond() {
        long t = clockTicks;
        if (t > 0) return t;
        t = 100;
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) t = Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            // keep 100, the value on every common Linux
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clockTicks = t;
        return t;
    }

    /** CPU use in % of one core between two tick readings taken {@code nanos} apart; NaN if unknown. */
    static double percent(long ticksBefore, long ticksAfter, long nanos) {
        if (ticksBefore < 0 || ticksAfter < 0 || nanos <= 0) return Double.NaN;
        double cpuSeconds = (ticksAfter - ticksBefore) / (double) clockTicksPerSecond();
        return cpuSeconds / (nanos / 1e9) * 100.0;
    }
}
