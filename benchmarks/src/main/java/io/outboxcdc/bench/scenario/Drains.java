package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.measure.ProcessStats;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.bench.stack.Pause;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Backlogs, drained by warm processes. Relay and billing are frozen (SIGSTOP: their JIT-compiled code and
 * connections stay), then N valid OrderCreated outbox rows are committed (1 000 per transaction). The relay is
 * thawed: relay drain = N ÷ (first → last record on the orders topic), with the relay's CPU. Then billing is
 * thawed: billing drain = invoices per second over the drain (at most the cap; a slower billing is measured over
 * what it did within it).
 *
 * <p>A smaller drain runs first, unmeasured: the open-loop warm-up never sends batches of thousands, and without
 * it the measured drain paid for its own JIT compilation (C2 used a third of a core during the first drain of a
 * run). The watcher polls through one Admin client: a new client per poll (every 20 ms) cost the machine CPU
 * that the drain under measurement needed.
 */
public final class Drains {

    private final Bench bench;

    public Drains(Bench bench) {
        this.bench = bench;
    }

    private record RelayDrain(double seconds, double eventsPerSecond, double relayCpu, double pgCpu, double kafkaCpu,
            boolean complete) {
    }

    private record BillingDrain(long invoices, double seconds, double eventsPerSecond, double billingCpu,
            double pgCpu, boolean complete) {
    }

    private record Both(RelayDrain relay, BillingDrain billing) {
    }

    public void run() {
        int rows = bench.sizes().drainRows();
        int warmUpRows = Math.max(1_000, rows / 5);
        try (Admin admin = bench.stack().admin()) {
            if (!bench.sizes().quick()) {
                bench.awaitPipelineIdle(Duration.ofSeconds(30));
                Bench.log("Drains: warm-up drain of " + warmUpRows + " events (not measured) ...");
                drains(admin, warmUpRows);
            }
            Both both = bench.measured("drains of " + rows + " events", () -> {
                bench.awaitPipelineIdle(Duration.ofSeconds(30));
                return drains(admin, rows);
            });
            write(rows, warmUpRows, both.relay(), both.billing());
        }
    }

    private Both drains(Admin admin, int rows) {
        try {
            return drainsOrThrow(admin, rows);
        } catch (Exception e) {
            throw new IllegalStateException("drain failed", e);
        }
    }

    private Both drainsOrThrow(Admin admin, int rows) throws Exception {
        var stack = bench.stack();
        Bench.log("Drains: freezing relay and billing, committing " + rows + " outbox rows ...");
        stack.freeze(stack.relay());
        stack.freeze(stack.billingService());
        Both both;
        try {
            long topicBefore = endOffsets(admin);
            long invoicesBefore = BenchStack.queryLong(stack.billing(), "SELECT count(*) FROM invoices");
            insert(stack, rows);
            RelayDrain relay = drainRelay(stack, admin, topicBefore, rows);
            both = new Both(relay, drainBilling(stack, invoicesBefore, rows));
        } finally {
            stack.thaw(stack.relay());
            stack.thaw(stack.billingService());
        }
        bench.settleBilling(Duration.ofSeconds(5));
        return both;
    }

    static void insert(BenchStack stack, int rows) {
        int chunk = 1000;
        for (int from = 1; from <= rows; from += chunk) {
            int to = Math.min(rows, from + chunk - 1);
            // Valid OrderCreated v1 events for orders that exist only in the event (billing needs no order row).
            BenchStack.execute(stack.orders(), "WITH e AS (SELECT gen_random_uuid() AS id, gen_random_uuid() AS oid, g"
                    + " FROM generate_series(" + from + ", " + to + ") g)"
                    + " INSERT INTO outbox (id, aggregate_type, aggregate_id, aggregate_sequence, type, payload, headers,"
                    + " created_at) SELECT id, 'order', oid::text, 1, 'OrderCreated', jsonb_build_object('schemaVersion', 1,"
                    + " 'eventId', id::text, 'orderId', oid::text, 'customerId', 'drain-' || (g % 97), 'currency', 'EUR',"
                    + " 'total', 49.98, 'items', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || (g % 500),"
                    + " 'quantity', 2, 'unitPrice', 24.99)), 'occurredAt',"
                    + " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')), '{}'::jsonb, now() FROM e");
        }
    }

    private RelayDrain drainRelay(BenchStack stack, Admin admin, long topicBefore, int rows) throws Exception {
        Map<String, Long> pids = stack.pids();
        double relayCpu0 = ProcessStats.cpuSeconds(pids.get("outbox-relay"), false);
        double pg0 = ProcessStats.cpuSecondsWithDescendants(pids.get("postgres"));
        double kafka0 = ProcessStats.cpuSeconds(pids.get("kafka"), false);
        Bench.log("Relay drain: thawing the relay ...");
        stack.thaw(stack.relay());
        long firstSeen = -1;
        double relayAtFirst = relayCpu0;
        double pgAtFirst = pg0;
        double kafkaAtFirst = kafka0;
        long done = -1;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            long count = endOffsets(admin) - topicBefore;
            if (count > 0 && firstSeen < 0) {
                firstSeen = System.nanoTime();
                relayAtFirst = ProcessStats.cpuSeconds(pids.get("outbox-relay"), false);
                pgAtFirst = ProcessStats.cpuSecondsWithDescendants(pids.get("postgres"));
                kafkaAtFirst = ProcessStats.cpuSeconds(pids.get("kafka"), false);
            }
            if (count >= rows) {
                done = System.nanoTime();
                break;
            }
            Pause.millis(50);
        }
        double seconds = done < 0 ? Double.NaN : (done - firstSeen) / 1e9;
        double relayCpu = ProcessStats.cpuSeconds(pids.get("outbox-relay"), false) - relayAtFirst;
        double pg = ProcessStats.cpuSecondsWithDescendants(pids.get("postgres")) - pgAtFirst;
        double kafka = ProcessStats.cpuSeconds(pids.get("kafka"), false) - kafkaAtFirst;
        Bench.log(String.format(Locale.ROOT, "  relay drained %d events in %.2f s", rows, seconds));
        return new RelayDrain(seconds, rows / seconds, relayCpu, pg, kafka, done > 0);
    }

    private BillingDrain drainBilling(BenchStack stack, long invoicesBefore, int rows) {
        Map<String, Long> pids = stack.pids();
        Bench.log("Billing drain: thawing billing ...");
        double cpu0 = ProcessStats.cpuSeconds(pids.get("billing-consumer"), false);
        double pg0 = ProcessStats.cpuSecondsWithDescendants(pids.get("postgres"));
        stack.thaw(stack.billingService());
        long begin = System.nanoTime();
        long deadline = begin + bench.sizes().billingDrainCap().toNanos();
        long firstSeen = -1;
        double cpuAtFirst = cpu0;
        double pgAtFirst = pg0;
        long invoices = 0;
        while (System.nanoTime() < deadline) {
            invoices = BenchStack.queryLong(stack.billing(), "SELECT count(*) FROM invoices") - invoicesBefore;
            if (invoices > 0 && firstSeen < 0) {
                firstSeen = System.nanoTime();
                cpuAtFirst = ProcessStats.cpuSeconds(pids.get("billing-consumer"), false);
                pgAtFirst = ProcessStats.cpuSecondsWithDescendants(pids.get("postgres"));
            }
            if (invoices >= rows) {
                break;
            }
            // count(*) scans the invoices table: not more often than a drain of 10+ s needs.
            Pause.millis(250);
        }
        long end = System.nanoTime();
        double seconds = firstSeen < 0 ? Double.NaN : (end - firstSeen) / 1e9;
        double cpu = ProcessStats.cpuSeconds(pids.get("billing-consumer"), false) - cpuAtFirst;
        double pg = ProcessStats.cpuSecondsWithDescendants(pids.get("postgres")) - pgAtFirst;
        Bench.log(String.format(Locale.ROOT, "  billing issued %d invoices in %.2f s", invoices, seconds));
        return new BillingDrain(invoices, seconds, invoices / seconds, cpu, pg, invoices >= rows);
    }

    private static long endOffsets(Admin admin) throws Exception {
        return BenchStack.ordersEndOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
    }

    private void write(int rows, int warmUpRows, RelayDrain relay, BillingDrain billing) {
        Report report = bench.report();
        report.section("Relay drain and billing drain");
        double relayPer1000 = relay.relayCpu() / rows * 1000;
        report.text(String.format(Locale.ROOT, """
                %d valid OrderCreated outbox rows (committed 1 000 per transaction) while relay and billing were \
                frozen (SIGSTOP: warm JVMs; PostgreSQL ends the frozen relay's walsender after its 10 s \
                `wal_sender_timeout`, so the relay's engine reconnects first — that is before the first record and \
                not in the figures). A drain of %d events ran just before, unmeasured, to compile the drain \
                path (none in --quick). Relay drain: first → last record on the orders topic, billing frozen. Billing \
                drain: afterwards, billing alone, first → last invoice (at most %d s). CPU in s per 1 000 events.

                | drain | events | seconds | events/s | CPU s / 1 000: the drainer | PostgreSQL | Kafka |
                |---|---|---|---|---|---|---|
                | relay | %d | %s | %s%s | %s | %s | %s |
                | billing | %d | %s | %s%s | %s | %s | |
                """, rows, bench.sizes().quick() ? 0 : warmUpRows, bench.sizes().billingDrainCap().toSeconds(), rows, Csv.num(relay.seconds()),
                Csv.num(relay.eventsPerSecond()), relay.complete() ? "" : " (incomplete)", String.format(Locale.ROOT,
                        "%.3f", relayPer1000), Csv.num(relay.pgCpu() / rows * 1000), Csv.num(relay.kafkaCpu() / rows * 1000),
                billing.invoices(), Csv.num(billing.seconds()), Csv.num(billing.eventsPerSecond()),
                billing.complete() ? "" : " (cap reached)", String.format(Locale.ROOT, "%.3f",
                        billing.billingCpu() / Math.max(1, billing.invoices()) * 1000),
                Csv.num(billing.pgCpu() / Math.max(1, billing.invoices()) * 1000)));
        new Csv(bench.out().resolve("drain.csv"), "rows", "relay_seconds", "relay_events_per_s",
                "relay_cpu_s_per_1000", "postgres_cpu_s_per_1000", "kafka_cpu_s_per_1000", "billing_invoices",
                "billing_seconds", "billing_events_per_s", "billing_cpu_s_per_1000")
                .row(rows, relay.seconds(), relay.eventsPerSecond(), relayPer1000, relay.pgCpu() / rows * 1000,
                        relay.kafkaCpu() / rows * 1000, billing.invoices(), billing.seconds(), billing.eventsPerSecond(),
                        billing.billingCpu() / Math.max(1, billing.invoices()) * 1000);
        report.headline("relay drain of " + rows + " events (events/s)", Csv.num(relay.eventsPerSecond()), "≥ 25 000",
                Report.atLeast(relay.eventsPerSecond(), 25_000));
        report.headline("relay CPU s per 1 000 events (drain)", String.format(Locale.ROOT, "%.3f", relayPer1000),
                "≤ 0.06", Report.atMost(relayPer1000, 0.06));
        report.headline("billing drain of a " + rows + "-event backlog (events/s)",
                Csv.num(billing.eventsPerSecond()) + (billing.complete() ? "" : " (cap reached)"), "≥ 5 000",
                Report.atLeast(billing.eventsPerSecond(), 5_000));
    }
}
