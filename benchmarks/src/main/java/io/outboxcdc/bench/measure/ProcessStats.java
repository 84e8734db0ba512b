package io.outboxcdc.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads CPU time and peak resident memory of processes from Linux' /proc. Elsewhere every figure is -1, which
 * the report prints as "n/a": the suite still runs, it only measures less.
 */
public final class ProcessStats {

    /** USER_HZ: the unit of utime/stime in /proc/&lt;pid&gt;/stat; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    /** CPU seconds (user + system) of the process and every live descendant, plus reaped children. */
    public static double cpuSecondsWithDescendants(long pid) {
        if (pid <= 0) {
            return -1;
        }
        double total = cpuSeconds(pid, true);
        if (total < 0) {
            return -1;
        }
        try (Stream<ProcessHandle> descendants = ProcessHandle.of(pid).map(ProcessHandle::descendants)
                .orElse(Stream.empty())) {
            for (ProcessHandle child : (Iterable<ProcessHandle>) descendants::iterator) {
                total += Math.max(0, cpuSeconds(child.pid(), false));
            }
        }
        return total;
    }

    /** utime + stime (+ cutime + cstime of waited-for children if asked), in seconds; -1 if unknown. */
    public static double cpuSeconds(long pid, boolean withReapedChildren) {
        String[] fields = statFields(pid);
        if (fields == null) {
            return -1;
        }
        // Fields after the command name: index 0 = state (field 3). utime = field 14, stime 15, cutime 16, cstime 17.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** VmHWM (peak resident set) in MiB, -1 if unknown. */
    public static double peakRssMiB(long pid) {
        return statusKiB(pid, "VmHWM:") / 1024.0;
    }

    /** VmRSS (current resident set) in MiB, -1 if unknown. */
    public static double rssMiB(long pid) {
        return statusKiB(pid, "VmRSS:") / 1024.0;
    }

    private static long statusKiB(long pid, String key) {
        if (pid <= 0) {
            return -1024;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process is gone or this is not Linux.
        }
        return -1024;
    }

    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may contain spaces: split after the last ')'.
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Machine-wide CPU counters from /proc/stat (all cores), in ticks: busy, iowait, total. */
    public record MachineCpu(long busy, long iowait, long total) {

        public static MachineCpu now() {
            try {
                List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
                String[] f = lines.get(0).trim().split("\\s+");
                long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
                long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]);
                long softirq = Long.parseLong(f[7]), steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                long busy = user + nice + system + irq + softirq + steal;
                return new MachineCpu(busy, iowait, busy + idle + iowait);
            } catch (IOException | RuntimeException e) {
                return new MachineCpu(-1, -1, -1);
            }
        }

        /** Percent of all cores busy / in iowait between {@code earlier} and this sample. */
        public double busyPercentSince(MachineCpu earlier) {
            long total = this.total - earlier.total;
            return total <= 0 || earlier.total < 0 ? -1 : 100.0 * (busy - earlier.busy) / total;
        }

        public double iowaitPercentSince(MachineCpu earlier) {
            long total = this.total - earlier.total;
            return total <= 0 || earlier.total < 0 ? -1 : 100.0 * (iowait - earlier.iowait) / total;
        }
    }
}
