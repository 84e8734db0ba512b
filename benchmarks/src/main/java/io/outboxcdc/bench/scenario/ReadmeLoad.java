package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.measure.Percentiles;
import io.outboxcdc.bench.measure.ResourceWindow;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The README's own load command, {@code ./outbox-cdc load --orders=5000 --concurrency=32 --retry-share=0.1
 * --cancel-share=0.2}, through the very same load driver, on the warm system: orders/s as the client saw them and
 * order commit → invoice p50/p99 (billing's issued_at − the order's created_at) for the orders of the run.
 */
public final class ReadmeLoad {

    private final Bench bench;

    public ReadmeLoad(Bench bench) {
        this.bench = bench;
    }

    private record Outcome(LoadResult load, Percentiles invoice, long backlog, ResourceWindow.Usage usage) {
    }

    public void run() {
        var sizes = bench.sizes();
        Outcome o = bench.measured("README load command", () -> {
            Bench.log("README load: " + sizes.readmeOrders() + " orders, " + sizes.readmeConcurrency()
                    + " clients, 10 % retries, 20 % cancellations ...");
            LoadPlan plan = new LoadPlan(URI.create(bench.stack().config().orderAppUrl()), sizes.readmeOrders(),
                    sizes.readmeConcurrency(), 0, 0.1, 0.2, Duration.ofSeconds(30), 42);
            ResourceWindow window = ResourceWindow.begin(bench.stack());
            Instant from = Instant.now();
            LoadResult load = new LoadDriver().run(plan, line -> { });
            Instant to = Instant.now();
            ResourceWindow.Usage usage = window.end();
            long backlog = bench.invoices().awaitBilled(from, to, sizes.readmeSettle());
            Percentiles invoice = bench.invoices().samples(from, to).between(from, to);
            Bench.log(String.format(Locale.ROOT, "  %.0f orders/s, invoice p50 %s p99 %s ms%s", load.ordersPerSecond(),
                    Csv.num(invoice.p50()), Csv.num(invoice.p99()), backlog > 0 ? ", " + backlog + " not billed" : ""));
            return new Outcome(load, invoice, backlog, usage);
        });
        bench.settleBilling(Duration.ofSeconds(60));
        Report report = bench.report();
        report.section("The README's load command");
        Map<String, Double> cpu = o.usage().cpuPercent();
        report.text(String.format(Locale.ROOT, """
                `./outbox-cdc load --orders=%d --concurrency=%d --retry-share=0.1 --cancel-share=0.2` through the same \
                `LoadDriver` (closed loop: each of the %d clients places its next order as soon as the previous one \
                was answered), on the warm system with relay and billing running. Invoice delays are billing's \
                `issued_at` − the order's `created_at` for the orders of the run, all billed within %d s after it.

                | orders/s | acknowledged | cancelled | commit → invoice p50 / p95 / p99 / max ms | not billed | CPU app / relay / billing / kafka / pg / load generator %% |
                |---|---|---|---|---|---|
                | %s | %d | %d | %s / %s / %s / %s | %d | %s / %s / %s / %s / %s / %s |
                """, sizes.readmeOrders(), sizes.readmeConcurrency(), sizes.readmeConcurrency(),
                sizes.readmeSettle().toSeconds(), Csv.num(o.load().ordersPerSecond()),
                o.load().acknowledgedOrders().size(), o.load().cancelled().size(), Csv.num(o.invoice().p50()),
                Csv.num(o.invoice().p95()), Csv.num(o.invoice().p99()), Csv.num(o.invoice().max()), o.backlog(),
                Csv.num(cpu.get("order-app")), Csv.num(cpu.get("outbox-relay")), Csv.num(cpu.get("billing-consumer")),
                Csv.num(cpu.get("kafka")), Csv.num(cpu.get("postgres")), Csv.num(cpu.get("benchmark"))));
        new Csv(bench.out().resolve("readme-load.csv"), "orders_per_s", "acknowledged", "invoice_p50", "invoice_p99",
                "not_billed").row(o.load().ordersPerSecond(), o.load().acknowledgedOrders().size(), o.invoice().p50(),
                o.invoice().p99(), o.backlog());
        report.headline("README load command: orders/s", Csv.num(o.load().ordersPerSecond()), null, null);
        report.headline("README load command: commit → invoice p50 / p99 (ms)",
                Csv.num(o.invoice().p50()) + " / " + Csv.num(o.invoice().p99())
                        + (o.backlog() > 0 ? " (" + o.backlog() + " not billed)" : ""),
                "p99 ≤ 500 ms", o.backlog() == 0 && Report.atMost(o.invoice().p99(), 500));
    }
}
