package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.load.OpenLoop;
import io.outboxcdc.bench.measure.ProcessStats;
import io.outboxcdc.bench.report.Csv;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Warms JVMs after every (re)start until they are steady: open-loop windows at a fixed rate (the pipeline keeps
 * up, so every window does the same work), each window's CPU ms per order of the warmed processes; steady when two
 * consecutive windows differ by less than 5 % (and at least the minimum number of windows ran). JIT compilation
 * shows as CPU per order falling window after window; once it stops falling, the code is compiled.
 */
public final class WarmUp {

    private static final double STEADY = 0.05;

    private final Bench bench;
    private final List<String> log = new ArrayList<>();

    public WarmUp(Bench bench) {
        this.bench = bench;
    }

    /** Returns true if steady within the maximum number of windows. */
    public boolean untilSteady(String label, List<String> parts) {
        var sizes = bench.sizes();
        List<Double> perOrder = new ArrayList<>();
        boolean steady = false;
        long begin = System.nanoTime();
        for (int window = 1; window <= sizes.warmMaxWindows(); window++) {
            Map<String, Long> pids = bench.stack().pids();
            double before = cpu(pids, parts);
            OpenLoop.Result load = OpenLoop.run(bench.requests(), sizes.warmRate(), sizes.warmWindow(),
                    sizes.openLoopClients());
            double after = cpu(pids, parts);
            double ms = load.acknowledged() == 0 ? Double.NaN : 1000 * (after - before) / load.acknowledged();
            perOrder.add(ms);
            int n = perOrder.size();
            if (n >= 2 && n >= sizes.warmMinWindows()) {
                double previous = perOrder.get(n - 2);
                if (Math.abs(ms - previous) <= STEADY * previous) {
                    steady = true;
                    break;
                }
            }
        }
        String line = String.format(Locale.ROOT, "| %s | %s | %d × %d s at %d/s | %s | %s | %.0f s |", label,
                String.join(" + ", parts), perOrder.size(), sizes.warmWindow().toSeconds(), sizes.warmRate(),
                String.join(" → ", perOrder.stream().map(Csv::num).toList()), steady ? "yes" : "**no**",
                (System.nanoTime() - begin) / 1e9);
        log.add(line);
        Bench.log("Warm-up " + label + ": CPU ms/order " + perOrder.stream().map(Csv::num).toList()
                + (steady ? " steady" : " NOT steady"));
        return steady;
    }

    private static double cpu(Map<String, Long> pids, List<String> parts) {
        double total = 0;
        for (String part : parts) {
            total += Math.max(0, ProcessStats.cpuSeconds(pids.getOrDefault(part, -1L), false));
        }
        return total;
    }

    /** The warm-up record for the report's method section. */
    public void writeTo(io.outboxcdc.bench.report.Report report) {
        report.section("Warm-up record");
        report.text("""
                Every JVM is warmed after each (re)start: open-loop windows at a fixed rate, CPU ms per order of the \
                warmed processes per window, until two consecutive windows differ by < 5 % (JIT compilation done).

                | after | warmed | windows | CPU ms per order, window by window | steady | took |
                |---|---|---|---|---|---|
                """);
        log.forEach(l -> report.text(l + "\n"));
    }
}
