package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.measure.PostgresBackends;
import io.outboxcdc.bench.measure.ProcessStats;
import io.outboxcdc.bench.measure.ThreadCpu;
import io.outboxcdc.bench.profile.FlightRecordings;
import io.outboxcdc.bench.profile.ProfileSummary;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the CPU goes at a fixed rate: for every JVM, JFR CPU samples and allocation samples (top frames, the three
 * biggest costs by component), CPU by thread group (GC, JIT, request threads: what samples miss), and PostgreSQL's
 * CPU by backend kind. Runs with JFR on, so its own latencies are not reported; CPU per order comes from the
 * un-profiled fixed-rate run.
 */
public final class CpuProfile {

    private static final List<String> JVMS = List.of("order-app", "outbox-relay", "billing-consumer", "kafka",
            "benchmark");

    private final Bench bench;

    public CpuProfile(Bench bench) {
        this.bench = bench;
    }

    private record Window(OpenLoopRun run, Map<String, Map<String, Double>> threads, Map<String, Double> postgres,
            double postgresTotal, Map<String, ProfileSummary> profiles) {
    }

    public void run() throws Exception {
        var sizes = bench.sizes();
        Window w = bench.measured("profile at " + sizes.fixedRate() + "/s", () -> {
            try {
                return profile(sizes.fixedRate());
            } catch (Exception e) {
                throw new IllegalStateException("profiling failed", e);
            }
        });
        write(w);
    }

    private Window profile(int rate) throws Exception {
        var stack = bench.stack();
        Map<String, Long> pids = new LinkedHashMap<>();
        stack.pids().forEach((name, pid) -> {
            if (JVMS.contains(name)) {
                pids.put(name, pid);
            }
        });
        Bench.log("Profiling (JFR) at " + rate + " orders/s for " + bench.sizes().profileDuration().toSeconds() + " s ...");
        Path dir = bench.out().resolve("jfr");
        Map<String, Path> files;
        OpenLoopRun run;
        Map<String, Map<String, Double>> threads = new LinkedHashMap<>();
        Map<Long, PostgresBackends.Backend> pgBefore;
        Map<Long, PostgresBackends.Backend> pgAfter;
        double pgTotal;
        try (FlightRecordings recordings = FlightRecordings.start(dir, pids)) {
            // Thread and backend CPU over the load only, not over jcmd's start and dump of the recordings.
            Map<String, Map<Long, ThreadCpu.Sample>> threadsBefore = new LinkedHashMap<>();
            pids.forEach((name, pid) -> threadsBefore.put(name, ThreadCpu.snapshot(pid)));
            pgBefore = PostgresBackends.snapshot(stack.orders());
            double pgTotalBefore = ProcessStats.cpuSecondsWithDescendants(stack.pids().get("postgres"));
            run = OpenLoopRun.run(bench, rate, bench.sizes().profileDuration(), false);
            pgAfter = PostgresBackends.snapshot(stack.orders());
            pgTotal = ProcessStats.cpuSecondsWithDescendants(stack.pids().get("postgres")) - pgTotalBefore;
            pids.forEach((name, pid) -> threads.put(name, ThreadCpu.groupsBetween(threadsBefore.get(name),
                    ThreadCpu.snapshot(pid))));
            files = recordings.stop();
        }
        Map<String, ProfileSummary> profiles = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            profiles.put(e.getKey(), ProfileSummary.read(e.getValue()));
        }
        return new Window(run, threads, PostgresBackends.byKind(pgBefore, pgAfter), pgTotal, profiles);
    }

    private void write(Window w) {
        Report report = bench.report();
        double orders = Math.max(1, w.run().load().acknowledged());
        report.section("Where the CPU goes (JFR, per process, at " + w.run().rate() + " orders/s)");
        report.text(String.format(Locale.ROOT, """
                %d orders in %.0f s with JDK Flight Recorder (`profile` settings) on every JVM; .jfr files in `jfr/`. \
                **Costs** = share of CPU samples by the component that asked for the work (the first non-JDK frame \
                from the top of the stack); **top frames** = where the samples were taken; **threads** = CPU by \
                thread group from /proc (GC and JIT threads do not appear in samples; the profiler's own threads left \
                out), ms per order. Allocation = sampled bytes by component. The recorder's own work is left out.

                | process | three biggest costs (%% of samples) | top frames | threads, CPU ms per order | allocation MiB per 1 000 orders: top 3 |
                |---|---|---|---|---|
                """, (long) orders, w.run().usage().seconds()));
        Csv csv = new Csv(bench.out().resolve("cpu-profile.csv"), "process", "kind", "name", "value");
        for (String process : JVMS) {
            ProfileSummary p = w.profiles().get(process);
            Map<String, Double> threads = w.threads().getOrDefault(process, Map.of());
            List<String> costs = new ArrayList<>();
            List<String> frames = new ArrayList<>();
            List<String> allocs = new ArrayList<>();
            if (p != null && p.cpuSamples() > 0) {
                p.cpuByComponent().entrySet().stream().limit(3).forEach(e -> {
                    costs.add(e.getKey() + " " + pct(e.getValue(), p.cpuSamples()));
                    csv.row(process, "cost", e.getKey().replace(',', ';'), 100.0 * e.getValue() / p.cpuSamples());
                });
                p.topFrames().entrySet().stream().limit(5).forEach(e -> {
                    frames.add("`" + shortFrame(e.getKey()) + "` " + pct(e.getValue(), p.cpuSamples()));
                    csv.row(process, "frame", e.getKey(), 100.0 * e.getValue() / p.cpuSamples());
                });
                p.allocationByComponent().forEach((k, mib) -> allocs.add(k + " " + Csv.num(mib * 1000 / orders)));
            }
            List<String> threadList = new ArrayList<>();
            threads.entrySet().stream().filter(e -> !ThreadCpu.isProfiler(e.getKey())).limit(5).forEach(e -> {
                threadList.add(ThreadCpu.describe(e.getKey()) + " " + Csv.num(e.getValue() * 1000 / orders));
                csv.row(process, "thread_ms_per_order", e.getKey(), e.getValue() * 1000 / orders);
            });
            report.line("| %s | %s | %s | %s | %s |", process, costs.isEmpty() ? "n/a" : String.join("; ", costs),
                    String.join("<br>", frames), String.join("<br>", threadList), String.join("; ", allocs));
        }
        report.text(String.format(Locale.ROOT, """

                PostgreSQL by backend kind (CPU ms per order; all PostgreSQL processes together: %s):

                | backend kind | CPU ms per order | share |
                |---|---|---|
                """, Csv.num(w.postgresTotal() * 1000 / orders)));
        w.postgres().forEach((kind, seconds) -> {
            report.line("| %s | %s | %s |", kind, Csv.num(seconds * 1000 / orders),
                    pct(seconds, Math.max(1e-9, w.postgresTotal())));
            csv.row("postgres", "backend_ms_per_order", kind, seconds * 1000 / orders);
        });
    }

    private static String pct(double part, double whole) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * part / whole);
    }

    private static String shortFrame(String frame) {
        String[] parts = frame.split("\\.");
        return parts.length < 2 ? frame : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }
}
