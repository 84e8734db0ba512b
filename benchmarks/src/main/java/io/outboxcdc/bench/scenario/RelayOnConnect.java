package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.runtime.kafka.ConnectWorker;
import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.system.stack.ConnectRelay;
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
 * one: what a Connect cluster of two costs). Each runner also at half the rate (the fixed rate saturates the two
 * cores), and each drains a backlog ({@link RelayBacklogDrain}: the embedded relay frozen, the connector stopped,
 * while it is written).
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
    private record Row(String runner, String delivery, int rate, OpenLoopRun run, List<String> cpuParts, String task,
            RelayBacklogDrain.Result drain, String failure) {

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
        OpenLoopRun embedded = measure("embedded relay", bench.sizes().fixedRate());
        bench.settleBilling(bench.sizes().catchUp());
        OpenLoopRun embeddedHalf = measure("embedded relay", halfRate());
        bench.settleBilling(bench.sizes().catchUp());
        RelayBacklogDrain.Result embeddedDrain = drain("embedded relay", 0, new RelayBacklogDrain.Runner(
                () -> stack.freeze(stack.relay()), () -> stack.thaw(stack.relay())), List.of("outbox-relay"));
        rows.add(new Row("embedded relay (1 process)", "at least once", bench.sizes().fixedRate(), embedded,
                List.of("outbox-relay"), null, embeddedDrain, null));
        rows.add(new Row("embedded relay (1 process)", "at least once", halfRate(), embeddedHalf,
                List.of("outbox-relay"), null, null, null));
        bench.awaitPipelineIdle(Duration.ofSeconds(30));
        stack.stopRelay();
        try {
            // A fresh Connect group has no offsets and streams from the slot, where the embedded relay stopped; the
            // second group (same group id) resumes from the offsets the first stored.
            rows.addAll(onConnect(true));
            rows.addAll(onConnect(false));
            write(rows);
            bench.report().write(); // the figures stay in the report even if the restore below fails
        } finally {
            restoreEmbeddedRelay();
        }
    }

    /**
     * @param rate the fixed rate saturates the two cores (the rate search's highest bounded rate is below it), so
     *     every runner is also measured at half of it, where the comparison is not a contest for CPU
     */
    private OpenLoopRun measure(String what, int rate) {
        var sizes = bench.sizes();
        return bench.measured("relay on Connect: " + what + " at " + rate + "/s",
                () -> OpenLoopRun.run(bench, rate, sizes.designDuration(), true));
    }

    private int halfRate() {
        return bench.sizes().fixedRate() / 2;
    }

    private List<Row> onConnect(boolean exactlyOnce) {
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
            // With transactions the topic's end offsets include commit markers, which billing never commits past.
            long markerSlack = exactlyOnce ? stack.ordersPartitions() : 0;
            OpenLoopRun run = measure("Connect " + label, bench.sizes().fixedRate());
            String task = connect.taskWorker().map(ConnectWorker::name).orElse("?");
            bench.settleBilling(bench.sizes().catchUp(), markerSlack);
            OpenLoopRun half = measure("Connect " + label, halfRate());
            String halfTask = connect.taskWorker().map(ConnectWorker::name).orElse("?");
            bench.settleBilling(bench.sizes().catchUp(), markerSlack);
            RelayBacklogDrain.Result drained = drain("Connect " + label, markerSlack, new RelayBacklogDrain.Runner(
                    () -> connect.stopConnector(TASK_RUNNING_WITHIN), connect::resumeConnector), WORKERS);
            return List.of(
                    new Row("Kafka Connect (2 workers)", delivery, bench.sizes().fixedRate(), run, WORKERS, task,
                            drained, null),
                    new Row("Kafka Connect (2 workers)", delivery, halfRate(), half, WORKERS, halfTask, null, null));
        } catch (RuntimeException e) {
            Bench.log("  relay on Connect (" + label + ") failed: " + e.getMessage());
            return List.of(new Row("Kafka Connect (2 workers)", delivery, bench.sizes().fixedRate(), null, WORKERS,
                    null, null, String.valueOf(e.getMessage())));
        } finally {
            connect.close();
            WORKERS.forEach(stack::removePart);
        }
    }

    /**
     * An unmeasured drain of a fifth of the backlog first, as in {@link Drains} (the open loop never sends
     * batches of thousands: without it the measured drain pays for its own JIT compilation), then the measured one;
     * billing catches up after each.
     */
    private RelayBacklogDrain.Result drain(String what, long markerSlack, RelayBacklogDrain.Runner runner,
            List<String> parts) {
        int rows = bench.sizes().drainRows();
        RelayBacklogDrain drain = new RelayBacklogDrain(bench);
        Bench.log("Relay on Connect: warm-up drain through the " + what + " (" + rows / 5 + " events, not measured)");
        drain.drain(rows / 5, runner, parts);
        bench.settleBilling(bench.sizes().catchUp(), markerSlack);
        RelayBacklogDrain.Result result = bench.measured("relay on Connect: drain through the " + what, () -> {
            bench.awaitPipelineIdle(Duration.ofSeconds(30), markerSlack);
            Bench.log("Relay on Connect: drain of " + rows + " events through the " + what + " ...");
            return drain.drain(rows, runner, parts);
        });
        bench.settleBilling(bench.sizes().catchUp(), markerSlack);
        return result;
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
        report.section("Relay on Kafka Connect: commit → Kafka at " + sizes.fixedRate() + " and " + halfRate()
                + " orders/s, drain");
        report.text(String.format(Locale.ROOT, """
                Same open-loop load (%d and %d orders/s, %d s each, billing running) through the embedded relay (the default, \
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
                cores as everything else. %d orders/s is beyond what the two cores carry with everything on them \
                (the rate search's highest bounded rate is lower), so its rows show the runners competing for CPU; \
                %d orders/s is within it.

                | runner | delivery | orders/s | produced p50 / p99 | on Kafka p50 / p95 / p99 / max | invoice p50 / p99 | relay or workers CPU ms/order | of which task worker | Kafka broker CPU ms/order | achieved orders/s |
                |---|---|---|---|---|---|---|---|---|---|
                """, sizes.fixedRate(), halfRate(), sizes.designDuration().toSeconds(), relayJvm, sizes.fixedRate(),
                halfRate()));
        Csv csv = new Csv(bench.out().resolve("relay-connect.csv"), "runner", "delivery", "rate", "produced_p50",
                "produced_p99", "kafka_p50", "kafka_p95", "kafka_p99", "kafka_max", "invoice_p50", "invoice_p99",
                "runner_cpu_ms_per_order", "task_worker_cpu_ms_per_order", "kafka_cpu_ms_per_order", "achieved_rate");
        List<String> summary = new ArrayList<>();
        for (Row row : rows) {
            if (row.run() == null) {
                report.line("| %s | %s | %d | not measured: %s | | | | | | |", row.runner(), row.delivery(),
                        row.rate(), row.failure().replace('|', '/').replace('\n', ' '));
                summary.add("n/a");
                continue;
            }
            OpenLoopRun r = row.run();
            double taskMs = row.task() == null ? Double.NaN : row.partMsPerOrder(row.task());
            double kafkaMs = row.partMsPerOrder("kafka");
            csv.row(row.runner(), row.delivery().replace(',', ';'), row.rate(), r.produced().p50(), r.produced().p99(),
                    r.kafka().p50(), r.kafka().p95(), r.kafka().p99(), r.kafka().max(), r.invoice().p50(),
                    r.invoice().p99(), row.cpuMsPerOrder(), taskMs, kafkaMs, r.load().achievedRate());
            report.line("| %s | %s | %d | %s / %s | %s | %s / %s | %s | %s | %s | %s |", row.runner(),
                    row.delivery(), row.rate(), Csv.num(r.produced().p50()), Csv.num(r.produced().p99()), RateSearch.four(r.kafka()),
                    Csv.num(r.invoice().p50()), Csv.num(r.invoice().p99()), Csv.num(row.cpuMsPerOrder()),
                    row.task() == null ? "" : Csv.num(taskMs) + " (" + row.task() + ")", Csv.num(kafkaMs),
                    Csv.num(r.load().achievedRate()));
            if (row.rate() != sizes.fixedRate()) {
                continue;
            }
            summary.add(Csv.num(r.kafka().p50()) + " / " + Csv.num(r.kafka().p99()) + " ms, "
                    + Csv.num(row.cpuMsPerOrder()) + " CPU ms"
                    + (row.drain() == null ? "" : ", drain " + Csv.num(row.drain().eventsPerSecond()) + "/s"));
        }
        writeDrains(rows);
        report.headline("commit → Kafka p50 / p99 at " + sizes.fixedRate()
                + "/s, runner CPU per order, drain: embedded vs Connect exactly-once vs Connect at-least-once",
                String.join(" vs ", summary), null, null);
    }

    private void writeDrains(List<Row> rows) {
        Report report = bench.report();
        int events = bench.sizes().drainRows();
        report.text(String.format(Locale.ROOT, """

                **Drain** of %d valid OrderCreated outbox rows (committed 1 000 per transaction) by each warm runner, \
                billing frozen (SIGSTOP). The runner is held while the backlog is written and released after: the \
                embedded relay frozen and thawed (PostgreSQL ends the frozen relay's walsender after its \
                `wal_sender_timeout`, so it reconnects first), the connector stopped and resumed (`PUT \
                /connectors/{name}/stop` and `/resume`, KIP-875: the task and its replication connection go, the \
                workers and their compiled code stay; a *paused* connector would keep Debezium's streaming thread \
                reading the backlog into its queue, and a frozen worker is evicted from its group after the 6 s \
                session timeout). Seconds = first → last record read by a `read_committed` consumer (end offsets \
                would count the exactly-once runner's commit markers); the runner's restart is before the first \
                record and not in the figure. A drain of a fifth of the size ran just before, unmeasured, per runner. \
                CPU in s per 1 000 events, from the first record to the last. The `drain` section drains the \
                embedded relay by the end offsets; its figure and this one are measured slightly differently.

                | runner | delivery | events | seconds | events/s | runner CPU s / 1 000 | Kafka CPU s / 1 000 |
                |---|---|---|---|---|---|---|
                """, events));
        Csv csv = new Csv(bench.out().resolve("relay-connect-drain.csv"), "runner", "delivery", "events", "seconds",
                "events_per_s", "runner_cpu_s_per_1000", "kafka_cpu_s_per_1000");
        for (Row row : rows) {
            RelayBacklogDrain.Result d = row.drain();
            if (d == null) {
                if (row.rate() == bench.sizes().fixedRate()) { // the half-rate rows have no drain of their own
                    report.line("| %s | %s | not measured | | | | |", row.runner(), row.delivery());
                }
                continue;
            }
            csv.row(row.runner(), row.delivery().replace(',', ';'), d.events(), d.seconds(), d.eventsPerSecond(),
                    d.runnerCpuPer1000(), d.kafkaCpuPer1000());
            report.line("| %s | %s | %d%s | %s | %s | %s | %s |", row.runner(), row.delivery(), d.events(),
                    d.complete() ? "" : " (incomplete)", Csv.num(d.seconds()), Csv.num(d.eventsPerSecond()),
                    String.format(Locale.ROOT, "%.3f", d.runnerCpuPer1000()),
                    String.format(Locale.ROOT, "%.3f", d.kafkaCpuPer1000()));
        }
    }
}
