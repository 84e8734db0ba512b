package io.outboxcdc.bench.measure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CPU used on this machine by processes that are not part of the benchmark: all cores' busy time from
 * {@code /proc/stat} minus the CPU time of the benchmark JVM, everything it started and every PostgreSQL process.
 * A section measured while another process was busy is not a figure of this system.
 */
public final class ForeignCpu {

    private final Supplier<Set<Long>> roots;

    /** @param roots process ids whose whole trees belong to the benchmark (the benchmark JVM is always one) */
    public ForeignCpu(Supplier<Set<Long>> roots) {
        this.roots = roots;
    }

    /** A point in time: machine busy ticks and the benchmark's own ticks. */
    public record Mark(long nanos, long machineBusy, double ownSeconds) {
    }

    public Mark mark() {
        return new Mark(System.nanoTime(), ProcessStats.MachineCpu.now().busy(), ownCpuSeconds());
    }

    /** CPU of other processes since {@code earlier}, in percent of one core (may read slightly below 0). */
    public double percentSince(Mark earlier) {
        Mark now = mark();
        double seconds = (now.nanos() - earlier.nanos()) / 1e9;
        if (seconds <= 0 || earlier.machineBusy() < 0) {
            return Double.NaN;
        }
        double machine = (now.machineBusy() - earlier.machineBusy()) / 100.0;
        double own = now.ownSeconds() - earlier.ownSeconds();
        return 100 * (machine - own) / seconds;
    }

    private double ownCpuSeconds() {
        Set<Long> pids = new HashSet<>();
        Set<Long> rootPids = new HashSet<>(roots.get());
        rootPids.add(ProcessHandle.current().pid());
        for (long root : rootPids) {
            if (root <= 0) {
                continue;
            }
            pids.add(root);
            ProcessHandle.of(root).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        }
        double total = 0;
        for (long pid : pids) {
            // With reaped children: short-lived helpers (pg_ctl, jcmd) are counted in their parent once waited for.
            total += Math.max(0, ProcessStats.cpuSeconds(pid, true));
        }
        return total;
    }

    /** The 1-, 5- and 15-minute load averages as /proc/loadavg has them. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
