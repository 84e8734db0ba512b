package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.measure.ProcessStats;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.system.stack.JvmSettings;
import io.outboxcdc.system.stack.StackConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stack start-up, from the launch of PostgreSQL until all three services report healthy. The full suite starts
 * three times: fresh (new data folder: initdb, migrations; writes the AppCDS archives if the jars are new), then
 * a restart with the launch of before issue 15 (executable jars, {@code -Xmx512m}, G1, no archive), then a restart
 * with today's launch (extracted jars + AppCDS archive, Serial GC, 256 MB); the last one keeps running for the
 * other sections. {@code --quick} starts once.
 */
public final class Startup {

    private record Run(String label, Map<String, Duration> times, boolean archive, Map<String, Double> cpu) {
    }

    private static final List<String> SERVICES = List.of("order-app", "billing-consumer", "outbox-relay");

    private final Bench bench;
    private final String pinSystem;
    private final Consumer<String> out = line -> Bench.log("  " + line);

    public Startup(Bench bench, String pinSystem) {
        this.bench = bench;
        this.pinSystem = pinSystem;
    }

    /** Starts the system (as often as the sizes say) and returns the running stack. */
    public BenchStack start(Path dataDirectory) {
        StackConfig config = BenchStack.freshConfig(dataDirectory);
        JvmSettings today = JvmSettings.defaults().withClassDataSharing(true);
        List<Run> runs = new ArrayList<>();
        if (bench.sizes().quick()) {
            BenchStack stack = timed("fresh data folder, today's launch", config, today, runs);
            write(runs);
            return stack;
        }
        timed("fresh data folder, today's launch", config, today, runs).close();
        timed("restart, launch before issue 15 (fat jar, -Xmx512m, G1, no AppCDS)", config,
                new JvmSettings(false, JvmSettings.PREVIOUS), runs).close();
        BenchStack stack = timed("restart, today's launch (AppCDS archive, Serial GC, -Xmx256m)", config, today, runs);
        write(runs);
        return stack;
    }

    private BenchStack timed(String label, StackConfig config, JvmSettings jvm, List<Run> runs) {
        Bench.log("Starting the system (" + label + ") ...");
        BenchStack stack = BenchStack.start(config, jvm, pinSystem, out);
        boolean archive = stack.localStack().orderApp().usesClassDataArchive();
        // CPU seconds each service used to start: unlike wall time, hardly affected by other load on the machine.
        Map<String, Double> cpu = new LinkedHashMap<>();
        SERVICES.forEach(s -> cpu.put(s, ProcessStats.cpuSeconds(stack.pids().getOrDefault(s, -1L), false)));
        runs.add(new Run(label, stack.startupTimes(), archive, cpu));
        Bench.log(String.format(Locale.ROOT, "  all healthy after %.1f s", seconds(stack.startupTimes().get("all healthy"))));
        return stack;
    }

    private void write(List<Run> runs) {
        Report report = bench.report();
        report.section("Start-up");
        report.text("""
                From the launch of PostgreSQL until order-app, outbox-relay and billing-consumer all answer UP on \
                `/actuator/health` (the launcher's own wait, polling every 250 ms). Kafka starts while PostgreSQL \
                starts; order-app is launched once its database exists, billing once Kafka is up, the relay once \
                order-app's migrations created the replication slot. Seconds from the start, and the CPU seconds each \
                service used until then (steadier than wall time on a shared machine):

                | launch | PostgreSQL ready | Kafka ready | order-app | billing | relay | **all healthy** | CPU s app / billing / relay | AppCDS archive used |
                |---|---|---|---|---|---|---|---|---|
                """);
        Csv csv = new Csv(bench.out().resolve("startup.csv"), "launch", "postgres_s", "kafka_s", "order_app_s",
                "billing_s", "relay_s", "all_s", "cpu_s_order_app", "cpu_s_billing", "cpu_s_relay", "cds_archive");
        for (Run r : runs) {
            Map<String, Duration> t = new LinkedHashMap<>(r.times());
            report.line("| %s | %s | %s | %s | %s | %s | **%s** | %s | %s |", r.label(), s(t.get("postgres")),
                    s(t.get("kafka")), s(t.get("order-app")), s(t.get("billing-consumer")), s(t.get("outbox-relay")),
                    s(t.get("all healthy")), String.join(" / ", SERVICES.stream().map(x -> Csv.num(r.cpu().get(x))).toList()),
                    r.archive() ? "yes" : "no");
            csv.row(r.label().replace(',', ';'), seconds(t.get("postgres")), seconds(t.get("kafka")),
                    seconds(t.get("order-app")), seconds(t.get("billing-consumer")), seconds(t.get("outbox-relay")),
                    seconds(t.get("all healthy")), r.cpu().get("order-app"), r.cpu().get("billing-consumer"),
                    r.cpu().get("outbox-relay"), r.archive());
        }
        Run last = runs.get(runs.size() - 1);
        double all = seconds(last.times().get("all healthy"));
        report.headline("stack start-up, launch → all healthy (" + (runs.size() > 1 ? "restart, " : "") + "s)",
                Csv.num(all) + (runs.size() > 1 ? " (before issue 15's launch: "
                        + Csv.num(seconds(runs.get(1).times().get("all healthy"))) + ")" : ""), "≤ 20 s",
                Report.atMost(all, 20));
    }

    private static String s(Duration d) {
        return Csv.num(seconds(d));
    }

    private static double seconds(Duration d) {
        return d == null ? Double.NaN : d.toMillis() / 1000.0;
    }
}
