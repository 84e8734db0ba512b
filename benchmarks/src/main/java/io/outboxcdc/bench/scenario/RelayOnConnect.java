package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.system.stack.ConnectRelay;
import io.outboxcdc.runtime.kafka.ConnectWorker;
import io.outboxcdc.runtime.process.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The embedded relay beside the relay on Kafka Connect (issue 17): the same open-loop load (the fixed rate, billing
 * running) through the embedded relay (the default one, warm), then through the relay's connector on a distributed
 * Connect group of two worker processes ({@link ConnectRelay}, the runner of {@code up --relay=connect}) with
 * exactly-once source support, then without it (at least once). Each Connect group is started with the embedded
 * relay stopped (the slot admits one reader), warmed until steady, measured, and stopped; the embedded relay is
 * restored and warmed afterwards. The workers' CPU is both workers together (the one with the task and the idle
 * one: what a Connect cluster of two costs).
 *
 * <p>Not in {@code --quick}: starting two Connect workers twice costs more than the smoke's time budget.
 */
public final class RelayOnConnect {

    static final List<String> WORKERS = List.of("connect-worker-1", "connect-worker-2");
    private static final Duration TASK_RUNNING_WITHIN = Duration.ofSeconds(180);

    private final Bench bench;

    public RelayOnConnect(Bench bench) {
        this.bench = bench;
    }

    /**
     * @param task the worker that ran the connector's task (Connect rows), or null
     * @param failure why the runner was not measured, or null
     */
    private record Row(String runner, String delivery, OpenLoopRun run, List<String> cpuParts, String task,
            String failure) {

        double cpuMsPerOrder() {
            if (run == null) {
                return Double.NaN;
            }
            Map<String, Double> perOrder = run.cpuMsPerOrder();
            double total = 0;
            for (String part : cpuParts) {
                total += perOrder.getOrDefault(part, Double.NaN);
            }
            return total;
        }

        double partMsPerOrder(String part) {
            return run == null ? Double.NaN : run.cpuMsPerOrder().getOrDefault(part, Double.NaN);
        }
    }

    public void run() {
        BenchStack stack = bench.stack();
        List<Row> rows = new ArrayList<>();
        Bench.log("Relay on Connect: the embedded relay (default) ...");
        if (!stack.runsDefaultRelay()) {
            stack.startDefaultRelay(); // relay-designs leaves its last variant running
        }
        bench.warmUp().untilSteady("relay: embedded, before Connect", List.of("outbox-relay"));
        rows.add(new Row("embedded relay (1 process)", "at least once", measure("embedded relay"),
                List.of("outbox-relay"), null, null));
        bench.settleBilling(bench.sizes().catchUp());
        bench.awaitPipelineIdle(Duration.ofSeconds(30));
        stack.stopRelay();
        try {
            // A fresh Connect group has no offsets and streams from the slot, where the embedded relay stopped; the
            // second group (same group id) resumes from the offsets the first stored.
            rows.add(onConnect(true));
            rows.add(onConnect(false));
            write(rows);
            bench.report().write(); // the figures stay in the report even if the restore below fails
        } finally {
            restoreEmbeddedRelay();
        }
    }

    private OpenLoopRun measure(String what) {
        var sizes = bench.sizes();
        return bench.measured("relay on Connect: " + what,
                () -> OpenLoopRun.run(bench, sizes.fixedRate(), sizes.designDuration(), true));
    }

    private Row onConnect(boolean exactlyOnce) {
        BenchStack stack = bench.stack();
        String delivery = exactlyOnce ? "exactly once (KIP-618, transaction per poll)" : "at least once";
        String label = exactlyOnce ? "exactly-once" : "at-least-once";
        Bench.log("Relay on Connect: two workers, " + label + " ...");
        ConnectRelay connect = new ConnectRelay(stack.config().jar("outbox-relay"),
                stack.localStack().relay().arguments(), stack.config().dataDirectory().resolve("connect-" + label),
                stack.config().logs().resolve("connect-" + label), List.of(FreePorts.pick(), FreePorts.pick()),
                stack.kafkaBootstrap(), (short) stack.localStack().kafkaCluster().replicationFactor(), exactlyOnce,
                line -> Bench.log("  " + line));
        try {
            stack.awaitSlotInactive(); // the previous reader's walsender ends with its connection
            connect.start(TASK_RUNNING_WITHIN);
            for (int i = 0; i < WORKERS.size(); i++) {
                stack.addPart(WORKERS.get(i), connect.workers().get(i)::pid);
            }
            bench.warmUp().untilSteady("relay on Connect, " + label, WORKERS);
            OpenLoopRun run = measure("Connect " + label);
            String task = connect.taskWorker().map(ConnectWorker::name).orElse("?");
            if (run.backlog() > 0) {
                // Not Bench.awaitPipelineIdle's lag alone: with transactions the topic's end offsets include the
                // commit markers, which billing never commits past, so its lag stays above 0 when it is done.
                bench.settleBilling(bench.sizes().catchUp());
            }
            return new Row("Kafka Connect (2 workers)", delivery, run, WORKERS, task, null);
        } catch (RuntimeException e) {
            Bench.log("  relay on Connect (" + label + ") failed: " + e.getMessage());
            return new Row("Kafka Connect (2 workers)", delivery, null, WORKERS, null, String.valueOf(e.getMessage()));
        } finally {
            connect.close();
            WORKERS.forEach(stack::removePart);
        }
    }

    /** Back to the embedded relay, warm, for whatever runs next. */
    private void restoreEmbeddedRelay() {
        BenchStack stack = bench.stack();
        Bench.log("Relay on Connect: restoring the embedded relay ...");
        bench.awaitPipelineIdle(Duration.ofSeconds(30));
        // Connect moved the slot past the embedded relay's stored offsets, which Debezium would refuse: with the
        // pipeline idle nothing is left to relay, so the relay starts from the slot's (current) position.
        stack.skipUnrelayedWal();
        stack.startDefaultRelay();
        bench.warmUp().untilSteady("relay: embedded, after Connect", List.of("outbox-relay"));
    }

    private void write(List<Row> rows) {
        var sizes = bench.sizes();
        Report report = bench.report();
        String relayJvm = String.join(" ", bench.stack().localStack().jvmSettings().flagsFor("outbox-relay"));
        report.section("Relay on Kafka Connect: commit → Kafka at " + sizes.fixedRate() + " orders/s");
        report.text(String.format(Locale.ROOT, """
                Same open-loop load (%d orders/s, %d s, billing running) through the embedded relay (the default, \
                warm) and through the relay's connector on a distributed Kafka Connect group of two worker \
                processes (`ConnectRelay`, what `./outbox-cdc up --relay=connect` runs: `connect-runtime` with the \
                Debezium PostgreSQL connector and the Outbox Event Router, the connector generated from the relay's \
                own settings), with exactly-once source support (KIP-618: each `poll()` is one Kafka transaction \
                with its offsets) and without it. Each runner warmed until steady first; the embedded relay is \
                stopped while Connect runs. Delays in ms from the order's `created_at`; *on Kafka* = a \
                `read_committed` consumer received it (as billing reads: with exactly-once a record counts once its \
                transaction committed). *Produced* is the record's CreateTime: the embedded relay's producer sets it \
                at send, on Connect Debezium's EventRouter sets it to the change event's time (when the connector \
                read the change), so the two are not the same moment. CPU in ms per order (one OrderCreated event \
                per order, so also CPU s per 1 000 events): of the relay process, or of both workers together \
                (the task runs on one; the other only heartbeats). The relay runs with `%s`; each Connect worker \
                is its own JVM with `-Xms64m -Xmx384m -XX:+UseG1GC` (testkit `ConnectWorker`), on the same two \
                cores as everything else.

                | runner | delivery | produced p50 / p99 | on Kafka p50 / p95 / p99 / max | invoice p50 / p99 | relay or workers CPU ms/order | of which task worker | Kafka broker CPU ms/order | achieved orders/s |
                |---|---|---|---|---|---|---|---|---|
                """, sizes.fixedRate(), sizes.designDuration().toSeconds(), relayJvm));
        Csv csv = new Csv(bench.out().resolve("relay-connect.csv"), "runner", "delivery", "produced_p50",
                "produced_p99", "kafka_p50", "kafka_p95", "kafka_p99", "kafka_max", "invoice_p50", "invoice_p99",
                "runner_cpu_ms_per_order", "task_worker_cpu_ms_per_order", "kafka_cpu_ms_per_order", "achieved_rate");
        List<String> summary = new ArrayList<>();
        for (Row row : rows) {
            if (row.run() == null) {
                report.line("| %s | %s | not measured: %s | | | | | | |", row.runner(), row.delivery(),
                        row.failure().replace('|', '/').replace('\n', ' '));
                summary.add("n/a");
                continue;
            }
            OpenLoopRun r = row.run();
            double taskMs = row.task() == null ? Double.NaN : row.partMsPerOrder(row.task());
            double kafkaMs = row.partMsPerOrder("kafka");
            csv.row(row.runner(), row.delivery().replace(',', ';'), r.produced().p50(), r.produced().p99(),
                    r.kafka().p50(), r.kafka().p95(), r.kafka().p99(), r.kafka().max(), r.invoice().p50(),
                    r.invoice().p99(), row.cpuMsPerOrder(), taskMs, kafkaMs, r.load().achievedRate());
            report.line("| %s | %s | %s / %s | %s | %s / %s | %s | %s | %s | %s |", row.runner(), row.delivery(),
                    Csv.num(r.produced().p50()), Csv.num(r.produced().p99()), RateSearch.four(r.kafka()),
                    Csv.num(r.invoice().p50()), Csv.num(r.invoice().p99()), Csv.num(row.cpuMsPerOrder()),
                    row.task() == null ? "" : Csv.num(taskMs) + " (" + row.task() + ")", Csv.num(kafkaMs),
                    Csv.num(r.load().achievedRate()));
            summary.add(Csv.num(r.kafka().p50()) + " / " + Csv.num(r.kafka().p99()) + " ms, "
                    + Csv.num(row.cpuMsPerOrder()) + " CPU ms");
        }
        report.text("""

                Drain (a backlog relayed by a warm runner) is not measured on Connect: the drain section freezes the \
                relay (SIGSTOP) while the backlog is written, but a frozen Connect worker is evicted from its group \
                after the session timeout (6 s) and its task moves; pausing the connector instead leaves Debezium's \
                streaming thread reading the backlog into its queue (up to `max.queue.size` events) before the \
                measured drain starts, and a restarted group is cold. The embedded relay's drain is in the \
                `drain` section.
                """);
        report.headline("commit → Kafka p50 / p99 at " + sizes.fixedRate()
                + "/s and runner CPU per order: embedded vs Connect exactly-once vs Connect at-least-once",
                String.join(" vs ", summary), null, null);
    }
}
