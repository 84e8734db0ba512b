package io.outboxcdc.bench.measure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Peak resident memory per part over the whole run: VmHWM of each process, sampled every second (processes are
 * restarted by some scenarios, so the highest value of any incarnation counts). For PostgreSQL: the postmaster's
 * VmHWM and, separately, the sum of the current RSS of all its processes (shared buffers counted in each backend
 * that touched them, so that sum overstates).
 */
public final class PeakMemory implements AutoCloseable {

    private final Map<String, Double> peaks = new LinkedHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "peak-memory");
        t.setDaemon(true);
        return t;
    });
    private final Supplier<Map<String, Long>> pids;

    public PeakMemory(Supplier<Map<String, Long>> pids) {
        this.pids = pids;
        sampler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    public synchronized void sample() {
        try {
            pids.get().forEach((name, pid) -> {
                if (pid > 0) {
                    peaks.merge(name, ProcessStats.peakRssMiB(pid), Math::max);
                    if ("postgres".equals(name)) {
                        double sum = Math.max(0, ProcessStats.rssMiB(pid));
                        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList())
                                .orElse(java.util.List.of())) {
                            sum += Math.max(0, ProcessStats.rssMiB(child.pid()));
                        }
                        peaks.merge("postgres (all processes, RSS sum)", sum, Math::max);
                    }
                }
            });
        } catch (RuntimeException e) {
            // A process went away between listing and reading: the next sample catches up.
        }
    }

    public synchronized Map<String, Double> peaks() {
        return new LinkedHashMap<>(peaks);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
