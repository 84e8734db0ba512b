package io.outboxcdc.bench.measure;

import io.outboxcdc.bench.stack.BenchStack;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the machine spent during one measured window: CPU per process (percent of one core), machine busy and
 * iowait, PostgreSQL transactions, tuples and WAL syncs per second, billing's mean processing time and the relay's
 * mean batch (events per offset commit).
 */
public final class ResourceWindow {

    private final BenchStack stack;
    private final long startNanos;
    private final Map<String, Long> pids;
    private final Map<String, Double> cpu = new LinkedHashMap<>();
    private final ProcessStats.MachineCpu machine;
    private final Map<String, Double> orders;
    private final Map<String, Double> billing;
    private final double billingSum;
    private final double billingCount;
    private final double relayed;
    private final long offsetCommits;

    private ResourceWindow(BenchStack stack) {
        this.stack = stack;
        this.pids = stack.pids();
        pids.forEach((name, pid) -> cpu.put(name, cpuOf(name, pid)));
        this.machine = ProcessStats.MachineCpu.now();
        this.orders = DbCounters.read(stack.orders(), "orders");
        this.billing = DbCounters.read(stack.billing(), "billing");
        this.billingSum = Prometheus.sum(stack.billingPrometheus(), "billing_processing_seconds_sum");
        this.billingCount = Prometheus.sum(stack.billingPrometheus(), "billing_processing_seconds_count");
        this.relayed = Prometheus.sum(stack.relayPrometheus(), "relay_events_relayed_total");
        this.offsetCommits = RelayOffsets.commits(stack);
        this.startNanos = System.nanoTime();
    }

    public static ResourceWindow begin(BenchStack stack) {
        return new ResourceWindow(stack);
    }

    public Usage end() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cpuPercent = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            double before = cpu.get(name);
            double after = cpuOf(name, pid);
            cpuPercent.put(name, before < 0 || after < 0 ? -1 : 100 * (after - before) / seconds);
        });
        ProcessStats.MachineCpu now = ProcessStats.MachineCpu.now();
        Map<String, Double> ordersAfter = DbCounters.read(stack.orders(), "orders");
        Map<String, Double> billingAfter = DbCounters.read(stack.billing(), "billing");
        Map<String, Double> perSecond = new LinkedHashMap<>();
        rates("orders.", orders, ordersAfter, seconds, perSecond);
        rates("billing.", billing, billingAfter, seconds, perSecond);
        double billingMs = 1000 * (Prometheus.sum(stack.billingPrometheus(), "billing_processing_seconds_sum") - billingSum)
                / (Prometheus.sum(stack.billingPrometheus(), "billing_processing_seconds_count") - billingCount);
        double events = Prometheus.sum(stack.relayPrometheus(), "relay_events_relayed_total") - relayed;
        long commits = RelayOffsets.commits(stack) - offsetCommits;
        return new Usage(seconds, cpuPercent, now.busyPercentSince(machine), now.iowaitPercentSince(machine),
                perSecond, billingMs, commits > 0 ? events / commits : Double.NaN, events, commits);
    }

    private static void rates(String prefix, Map<String, Double> before, Map<String, Double> after, double seconds,
            Map<String, Double> into) {
        before.forEach((key, value) -> {
            Double later = after.get(key);
            if (later != null) {
                into.put(prefix + key, (later - value) / seconds);
            }
        });
    }

    private static double cpuOf(String name, long pid) {
        return "postgres".equals(name) ? ProcessStats.cpuSecondsWithDescendants(pid)
                : ProcessStats.cpuSeconds(pid, false);
    }

    /**
     * @param cpuPercent per process, percent of one core (200 = both cores of this machine)
     * @param perSecond PostgreSQL counters per second, keys {@code orders.xact_commit}, {@code billing.wal_sync}, ...
     *     (WAL counters are cluster-wide and appear under both prefixes)
     */
    public record Usage(double seconds, Map<String, Double> cpuPercent, double machineBusyPercent,
            double iowaitPercent, Map<String, Double> perSecond, double billingMsPerEvent, double relayEventsPerBatch,
            double relayEvents, long relayOffsetCommits) {

        public double rate(String key) {
            return perSecond.getOrDefault(key, Double.NaN);
        }
    }
}
