package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.load.ClosedLoop;
import io.outboxcdc.bench.load.JdbcBaseline;
import io.outboxcdc.bench.load.Throughput;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.system.stack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * REST closed loop with the pipeline running, then with relay and billing frozen (SIGSTOP: no CPU, still warm),
 * REST again and the plain-JDBC baseline (order-app's own statement over a pool of order-app's size). REST ÷ JDBC
 * is what HTTP, JSON, validation and Spring cost; the pipeline tax is REST with ÷ without the pipeline.
 */
public final class RestVersusJdbc {

    private final Bench bench;

    public RestVersusJdbc(Bench bench) {
        this.bench = bench;
    }

    public void run() {
        var sizes = bench.sizes();
        var stack = bench.stack();
        Map<Integer, Throughput> withPipeline = rest("REST, pipeline running");
        Map<Integer, Throughput> rest;
        Map<Integer, Throughput> jdbc = new LinkedHashMap<>();
        int pool = orderAppPoolSize();
        Bench.log("Freezing relay and billing (SIGSTOP) ...");
        stack.freeze(stack.relay());
        stack.freeze(stack.billingService());
        try {
            rest = rest("REST, pipeline frozen");
            for (int c : sizes.concurrencies()) {
                jdbc.put(c, bench.measured("JDBC " + c + " clients", () -> {
                    Bench.log("JDBC baseline with " + c + " clients, pool of " + pool + " ...");
                    try (JdbcBaseline.Pool connections = new JdbcBaseline.Pool(stack.ordersJdbcUrl(), pool)) {
                        return ClosedLoop.run("jdbc", c, sizes.restWarmUp(), sizes.restMeasured(),
                                () -> JdbcBaseline.client(connections));
                    }
                }));
            }
        } finally {
            stack.thaw(stack.relay());
            stack.thaw(stack.billingService());
        }
        bench.settleBilling(Duration.ofSeconds(90));
        write(withPipeline, rest, jdbc, pool);
    }

    private Map<Integer, Throughput> rest(String label) {
        var sizes = bench.sizes();
        Map<Integer, Throughput> results = new LinkedHashMap<>();
        for (int c : sizes.concurrencies()) {
            results.put(c, bench.measured(label + ", " + c + " clients", () -> {
                Bench.log(label + ": closed loop with " + c + " clients ...");
                return ClosedLoop.run("rest", c, sizes.restWarmUp(), sizes.restMeasured(),
                        () -> bench.requests()::place);
            }));
        }
        return results;
    }

    /** order-app's HikariCP size as its application.yml sets it (the stack does not override it). */
    static int orderAppPoolSize() {
        Path yml = StackConfig.findHome().resolve("order-app/src/main/resources/application.yml");
        try {
            Matcher m = Pattern.compile("maximum-pool-size:\\s*(\\d+)").matcher(Files.readString(yml));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        } catch (Exception e) {
            // HikariCP's default then.
        }
        return 10;
    }

    private void write(Map<Integer, Throughput> withPipeline, Map<Integer, Throughput> rest,
            Map<Integer, Throughput> jdbc, int pool) {
        var sizes = bench.sizes();
        Report report = bench.report();
        report.section("REST throughput vs the plain-JDBC baseline, and the pipeline tax");
        report.text(String.format(Locale.ROOT, """
                Closed loop: each client sends the next `POST /orders` (with an Idempotency-Key) as soon as the \
                previous one returned. The **JDBC baseline** runs order-app's own write path (order-app/README.md, \
                "Write path": one statement claiming the key and inserting order, lines and outbox event, then \
                COMMIT) with the same bind types, over a pool of **%d connections** (order-app's HikariCP size) \
                shared by the clients, as the order-app role. REST and JDBC without pipeline run with relay and \
                billing **frozen** (SIGSTOP: warm, but no CPU); *with pipeline* ran just before, everything running. \
                %d s warm-up, %d s measured per point. Pipeline tax = REST with ÷ without the pipeline.

                | clients | REST orders/s | REST p50 / p99 ms | JDBC tx/s | JDBC p50 / p99 ms | REST ÷ JDBC | REST with pipeline | tax |
                |---|---|---|---|---|---|---|---|
                """, pool, sizes.restWarmUp().toSeconds(), sizes.restMeasured().toSeconds()));
        Csv csv = new Csv(bench.out().resolve("rest-vs-jdbc.csv"), "clients", "rest_per_s", "rest_p50", "rest_p99",
                "rest_errors", "jdbc_per_s", "jdbc_p50", "jdbc_p99", "jdbc_errors", "ratio", "rest_with_pipeline_per_s",
                "pipeline_tax");
        for (int c : sizes.concurrencies()) {
            Throughput r = rest.get(c);
            Throughput j = jdbc.get(c);
            Throughput on = withPipeline.get(c);
            double ratio = r.perSecond() / j.perSecond();
            double tax = on.perSecond() / r.perSecond();
            csv.row(c, r.perSecond(), r.latency().p50(), r.latency().p99(), r.errors(), j.perSecond(),
                    j.latency().p50(), j.latency().p99(), j.errors(), ratio, on.perSecond(), tax);
            report.line("| %d | %s | %s / %s | %s | %s / %s | %.2f | %s | %.2f |", c, Csv.num(r.perSecond()),
                    Csv.num(r.latency().p50()), Csv.num(r.latency().p99()), Csv.num(j.perSecond()),
                    Csv.num(j.latency().p50()), Csv.num(j.latency().p99()), ratio, Csv.num(on.perSecond()), tax);
            report.headline("REST ÷ JDBC at " + c + " clients", String.format(Locale.ROOT, "%.2f (%s vs %s /s)", ratio,
                    Csv.num(r.perSecond()), Csv.num(j.perSecond())), "≥ 0.7", Report.atLeast(ratio, 0.7));
            report.headline("pipeline tax at " + c + " clients (REST with ÷ without relay + billing)",
                    String.format(Locale.ROOT, "%.2f (%s vs %s /s)", tax, Csv.num(on.perSecond()),
                            Csv.num(r.perSecond())), "≥ 0.8", Report.atLeast(tax, 0.8));
        }
    }
}
