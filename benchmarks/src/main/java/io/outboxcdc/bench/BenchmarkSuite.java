package io.outboxcdc.bench;

import io.outboxcdc.bench.delay.DelaySamples;
import io.outboxcdc.bench.delay.InvoiceDelays;
import io.outboxcdc.bench.delay.TopicDelayProbe;
import io.outboxcdc.bench.load.ClosedLoop;
import io.outboxcdc.bench.load.JdbcBaseline;
import io.outboxcdc.bench.load.OpenLoop;
import io.outboxcdc.bench.load.OrderRequests;
import io.outboxcdc.bench.load.Throughput;
import io.outboxcdc.bench.measure.PeakMemory;
import io.outboxcdc.bench.measure.Percentiles;
import io.outboxcdc.bench.measure.ProcessStats;
import io.outboxcdc.bench.measure.ResourceWindow;
import io.outboxcdc.bench.polling.PollingRelay;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.DelayChart;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.bench.stack.Pause;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.testkit.infra.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark suite of issue 8. Starts the whole system (every part its own process) on free ports, runs the
 * scenarios in an order that needs few restarts, and writes report.md, CSV files and delay-vs-rate.svg.
 *
 * <pre>java -jar benchmarks/target/benchmarks-exec.jar [--quick] [--out=DIR] [--data-dir=DIR]</pre>
 */
public final class BenchmarkSuite {

    private static final String DRAIN_TOPIC = "benchdrain";
    private static final String[] PARTS = {"order-app", "outbox-relay", "billing-consumer", "kafka", "postgres",
        "benchmark"};

    private final Sizes sizes;
    private final Path out;
    private final Path dataDir;
    private final StringBuilder md = new StringBuilder();
    private final Map<String, String> headline = new LinkedHashMap<>();
    private BenchStack stack;
    private OrderRequests requests;
    private InvoiceDelays invoices;

    BenchmarkSuite(Sizes sizes, Path out, Path dataDir) {
        this.sizes = sizes;
        this.out = out;
        this.dataDir = dataDir;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(eq < 0 ? arg.replaceFirst("^--", "") : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Path home = StackConfig.findHome();
        Sizes sizes = options.containsKey("quick") ? Sizes.smoke() : Sizes.full();
        Path out = Path.of(options.getOrDefault("out", home.resolve("benchmarks/target/bench").toString()));
        Path data = Path.of(options.getOrDefault("data-dir", home.resolve("benchmarks/target/bench-data").toString()));
        Path report = new BenchmarkSuite(sizes, out, data).run();
        System.out.println("Report: " + report);
        System.exit(0);
    }

    /** Runs every scenario; returns the path of report.md. */
    public Path run() throws Exception {
        Files.createDirectories(out);
        long begin = System.nanoTime();
        log("Starting the system in " + dataDir + " ...");
        stack = BenchStack.start(dataDir, BenchmarkSuite::log);
        // Ctrl-C must not leave the services, Kafka and PostgreSQL running.
        Thread stopper = new Thread(stack::close, "bench-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try (PeakMemory memory = new PeakMemory(stack::pids)) {
            requests = new OrderRequests(URI.create(stack.config().orderAppUrl()));
            invoices = new InvoiceDelays(stack.orders(), stack.billing());
            header();
            warmUp();
            delaysAtRates();
            Map<Integer, Throughput> restWithPipeline = restClosedLoop(sizes.taxConcurrencies(), "pipeline running");
            restartBillingAtEnd();
            Comparison cdc = comparisonRun("CDC relay (ours)");
            stack.stopRelay();
            // The CDC relay never deletes; a polling relay would republish every row still in the table.
            BenchStack.execute(stack.orders(), "DELETE FROM outbox");
            Comparison polling = pollingRun();
            stack.stopBilling();
            stack.skipUnrelayedWal();
            stack.moveBillingToEnd();
            restVersusJdbc(restWithPipeline);
            stack.skipUnrelayedWal();
            drain();
            relayVariants(cdc, polling);
            memory.sample();
            memorySection(memory.peaks());
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopper);
            stack.close();
        }
        md.append(String.format(Locale.ROOT, "%nSuite took %.0f s.%n", (System.nanoTime() - begin) / 1e9));
        return writeReport();
    }

    // ---------------------------------------------------------------- scenarios

    private void warmUp() {
        log("Warm-up ...");
        Instant from = Instant.now();
        ClosedLoop.run("warm-up", 8, Duration.ZERO, sizes.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(8),
                () -> requests::place);
        // The first rate must not inherit billing's warm-up backlog.
        if (invoices.awaitBilled(from, Instant.now(), sizes.catchUp()) > 0) {
            restartBillingAtEnd();
        }
    }

    /** Open-loop rates: commit → Kafka and commit → invoice, plus where the machine spends its time. */
    private void delaysAtRates() {
        section("End-to-end delay at fixed rates (open loop)");
        md.append("""
                Orders are due at a fixed rate whatever the answers do (%d client threads; orders that would wait > 2 s \
                for a thread are shed). Delays in ms from the order's `created_at`: **produced** = the Kafka record's \
                CreateTime (relay's producer send), **on Kafka** = a consumer received it, **invoice** = billing's \
                `issued_at`. *Bounded* = achieved ≥ 90 %% of the rate, everything billed within %d s after the run, and \
                for both Kafka and invoice delays the median of the run's last quarter ≤ 1 s and ≤ 2 × that of its \
                second quarter + 250 ms. CPU in %% of one \
                core (machine = 2 cores = 200 %%).

                """.formatted(sizes.openLoopClients(), sizes.catchUp().toSeconds()));
        Csv csv = new Csv(out.resolve("delay-vs-rate.csv"), "rate", "achieved", "shed", "bounded",
                "produced_p50", "produced_p95", "produced_p99", "produced_max",
                "kafka_p50", "kafka_p95", "kafka_p99", "kafka_max",
                "invoice_p50", "invoice_p95", "invoice_p99", "invoice_max", "billed", "orders",
                "cpu_order_app", "cpu_relay", "cpu_billing", "cpu_kafka", "cpu_postgres", "cpu_benchmark",
                "machine_busy_pct", "iowait_pct", "orders_xact_s", "billing_xact_s", "wal_sync_s",
                "billing_ms_per_event", "relay_events_per_batch", "rest_p50", "rest_p99");
        md.append("| rate | achieved | bounded | produced p50/p99 | on Kafka p50/p95/p99/max | invoice p50/p95/p99/max | "
                + "CPU app/relay/billing/kafka/pg/bench | busy / iowait | WAL syncs/s | billing ms/event | relay events/batch |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        TreeMap<Integer, RateResult> results = new TreeMap<>();
        for (int rate : sizes.rates()) {
            results.put(rate, rateRun(rate, csv));
        }
        Integer lo = results.entrySet().stream().filter(e -> e.getValue().bounded()).map(Map.Entry::getKey)
                .reduce((a, b) -> b).orElse(0);
        for (int step = 0; step < sizes.searchSteps(); step++) {
            Integer hi = results.entrySet().stream().filter(e -> !e.getValue().bounded() && e.getKey() > 0)
                    .map(Map.Entry::getKey).filter(r -> r > 0).findFirst().orElse(null);
            int next = hi == null ? lo * 3 / 2 : (lo + hi) / 2 / 25 * 25;
            if (next <= lo || results.containsKey(next)) {
                break;
            }
            results.put(next, rateRun(next, csv));
            lo = results.entrySet().stream().filter(e -> e.getValue().bounded()).map(Map.Entry::getKey)
                    .reduce((a, b) -> b).orElse(0);
        }
        int best = lo;
        md.append(String.format(Locale.ROOT, "%nHighest rate measured with bounded lag: **%s orders/s**.%n",
                best == 0 ? "none of the rates tried" : Integer.toString(best)));
        headline.put("highest bounded rate (orders/s)", best == 0 ? "< " + sizes.rates().get(0) : Integer.toString(best));
        RateResult at500 = results.getOrDefault(500, results.firstEntry().getValue());
        headline.put("commit → Kafka (consumer) p50/p99 at " + at500.rate() + "/s (ms)",
                Csv.num(at500.kafka().p50()) + " / " + Csv.num(at500.kafka().p99()));
        headline.put("commit → invoice p50/p99 at " + at500.rate() + "/s (ms)",
                Csv.num(at500.invoice().p50()) + " / " + Csv.num(at500.invoice().p99()));
        RateResult first = results.firstEntry().getValue();
        headline.put("commit → Kafka (consumer) p50/p99 at " + first.rate() + "/s (ms)",
                Csv.num(first.kafka().p50()) + " / " + Csv.num(first.kafka().p99()));
        headline.put("commit → invoice p50/p99 at " + first.rate() + "/s (ms)",
                Csv.num(first.invoice().p50()) + " / " + Csv.num(first.invoice().p99()));
        chart(results);
    }

    record RateResult(int rate, boolean bounded, Percentiles kafka, Percentiles invoice, Percentiles produced,
            ResourceWindow.Usage usage) {
    }

    /** Billing's group continues at the end of the topic: the backlog of a scenario that measured else. */
    private void restartBillingAtEnd() {
        stack.stopBilling();
        stack.moveBillingToEnd();
        stack.startBilling();
    }

    private RateResult rateRun(int rate, Csv csv) {
        log("Open loop at " + rate + " orders/s for " + sizes.rateDuration().toSeconds() + " s ...");
        OpenLoop.Result load;
        ResourceWindow.Usage usage;
        TopicDelayProbe probe = new TopicDelayProbe(stack.kafkaBootstrap(), LocalStack.ORDERS_TOPIC);
        try {
            ResourceWindow window = ResourceWindow.begin(stack);
            load = OpenLoop.run(requests, rate, sizes.rateDuration(), sizes.openLoopClients());
            usage = window.end();
            awaitProbe(probe, load.acknowledged(), sizes.catchUp());
        } finally {
            probe.close();
        }
        Instant from = load.start();
        Instant to = load.end();
        long backlog = invoices.awaitBilled(from, to, sizes.catchUp());
        DelaySamples invoiceSamples = invoices.samples(from, to);
        Percentiles produced = probe.produced().between(from, to);
        Percentiles kafka = probe.received().between(from, to);
        Percentiles invoice = invoiceSamples.between(from, to);
        boolean bounded = load.achievedRate() >= 0.9 * rate && backlog == 0 && probe.received().bounded(from, to)
                && invoiceSamples.bounded(from, to);
        if (backlog > 0) {
            log("  billing is " + backlog + " invoices behind: moving its group to the end of the topic");
            restartBillingAtEnd();
        }
        Map<String, Double> cpu = usage.cpuPercent();
        csv.row(rate, load.achievedRate(), load.shed(), bounded, produced.p50(), produced.p95(), produced.p99(),
                produced.max(), kafka.p50(), kafka.p95(), kafka.p99(), kafka.max(), invoice.p50(), invoice.p95(),
                invoice.p99(), invoice.max(), invoice.count(), load.acknowledged(), cpu.get("order-app"),
                cpu.get("outbox-relay"), cpu.get("billing-consumer"), cpu.get("kafka"), cpu.get("postgres"),
                cpu.get("benchmark"), usage.machineBusyPercent(), usage.iowaitPercent(), usage.rate("orders.xact_commit"),
                usage.rate("billing.xact_commit"), usage.rate("orders.wal_sync"), usage.billingMsPerEvent(),
                usage.relayEventsPerBatch(), load.latencyFromDue().p50(), load.latencyFromDue().p99());
        md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s / %s | %s | %s%s | %s | %s / %s %% | %s | %s | %s |%n",
                rate, Csv.num(load.achievedRate()), bounded ? "yes" : "**no**", Csv.num(produced.p50()),
                Csv.num(produced.p99()), four(kafka), four(invoice),
                backlog > 0 ? String.format(" (billed %d of %d)", invoice.count(), load.acknowledged()) : "",
                cpuList(cpu), Csv.num(usage.machineBusyPercent() * 2), Csv.num(usage.iowaitPercent() * 2),
                Csv.num(usage.rate("orders.wal_sync")), Csv.num(usage.billingMsPerEvent()),
                Csv.num(usage.relayEventsPerBatch())));
        log(String.format(Locale.ROOT, "  achieved %.0f/s, on Kafka p50 %s p99 %s ms, invoice p50 %s p99 %s ms, bounded %s",
                load.achievedRate(), Csv.num(kafka.p50()), Csv.num(kafka.p99()), Csv.num(invoice.p50()),
                Csv.num(invoice.p99()), bounded));
        return new RateResult(rate, bounded, kafka, invoice, produced, usage);
    }

    private static void awaitProbe(TopicDelayProbe probe, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (probe.received().size() < expected && System.nanoTime() < deadline) {
            Pause.millis(100);
        }
    }

    record Comparison(String name, Percentiles produced, Percentiles kafka, Percentiles invoice,
            ResourceWindow.Usage usage, long orders) {
    }

    /** The same open-loop load as the other relays get (comparison rate), with our CDC relay. */
    private Comparison comparisonRun(String name) {
        log("Comparison load (" + name + ") at " + sizes.comparisonRate() + " orders/s ...");
        TopicDelayProbe probe = new TopicDelayProbe(stack.kafkaBootstrap(), LocalStack.ORDERS_TOPIC);
        OpenLoop.Result load;
        ResourceWindow.Usage usage;
        try {
            ResourceWindow window = ResourceWindow.begin(stack);
            load = OpenLoop.run(requests, sizes.comparisonRate(), sizes.comparisonDuration(), sizes.openLoopClients());
            usage = window.end();
            awaitProbe(probe, load.acknowledged(), sizes.catchUp());
        } finally {
            probe.close();
        }
        Percentiles invoice = Percentiles.NONE;
        if (stack.billingRunning()) {
            long backlog = invoices.awaitBilled(load.start(), load.end(), sizes.catchUp());
            invoice = invoices.samples(load.start(), load.end()).between(load.start(), load.end());
            if (backlog > 0) {
                log("  billing is " + backlog + " behind");
            }
        }
        return new Comparison(name, probe.produced().between(load.start(), load.end()),
                probe.received().between(load.start(), load.end()), invoice, usage, load.acknowledged());
    }

    private Comparison pollingRun() {
        log("Polling relay (SELECT ... FOR UPDATE SKIP LOCKED every 100 ms) ...");
        // FOR UPDATE needs the UPDATE privilege, which order-app's role does not have on the outbox.
        PollingRelay polling = new PollingRelay(stack.ordersJdbcUrl(), PostgresServer.SUPERUSER, "",
                stack.kafkaBootstrap(), Duration.ofMillis(100), 500);
        try {
            // Rows committed while no relay ran (the CDC relay just stopped) are taken first, then the measured load.
            Pause.millis(1000);
            return comparisonRun("polling relay, 100 ms");
        } finally {
            polling.close();
        }
    }

    /** Closed-loop REST at the given concurrencies with whatever runs at the moment. */
    private Map<Integer, Throughput> restClosedLoop(List<Integer> concurrencies, String label) {
        Map<Integer, Throughput> results = new LinkedHashMap<>();
        for (int c : concurrencies) {
            log("REST closed loop (" + label + ") with " + c + " clients ...");
            results.put(c, ClosedLoop.run("rest", c, sizes.restWarmUp(), sizes.restMeasured(), () -> requests::place));
        }
        return results;
    }

    private void restVersusJdbc(Map<Integer, Throughput> withPipeline) {
        section("REST throughput vs the plain-JDBC baseline, and the pipeline tax");
        md.append("""
                Closed loop: each client sends the next `POST /orders` (or commits the next plain-JDBC transaction: \
                idempotency key + order + lines + outbox row, prepared statements, one connection per client) as soon \
                as the previous one returned. %d s warm-up, %d s measured per point. Both run with relay and billing \
                **stopped** (the database's and order-app's limit); *with pipeline* is REST with relay and billing \
                running, measured earlier in the same run. Pipeline tax = with ÷ without.

                | clients | REST orders/s | REST p50 / p99 ms | JDBC tx/s | JDBC p50 / p99 ms | REST ÷ JDBC | REST with pipeline | tax |
                |---|---|---|---|---|---|---|---|
                """.formatted(sizes.restWarmUp().toSeconds(), sizes.restMeasured().toSeconds()));
        Csv csv = new Csv(out.resolve("rest-vs-jdbc.csv"), "clients", "rest_per_s", "rest_p50", "rest_p99", "rest_errors",
                "jdbc_per_s", "jdbc_p50", "jdbc_p99", "ratio", "rest_with_pipeline_per_s", "pipeline_tax");
        Map<Integer, Throughput> rest = restClosedLoop(sizes.concurrencies(), "pipeline stopped");
        for (int c : sizes.concurrencies()) {
            log("JDBC baseline with " + c + " clients ...");
            Throughput jdbc = ClosedLoop.run("jdbc", c, sizes.restWarmUp(), sizes.restMeasured(),
                    () -> new JdbcBaseline(stack.ordersJdbcUrl()));
            Throughput r = rest.get(c);
            double ratio = r.perSecond() / jdbc.perSecond();
            Throughput on = withPipeline.get(c);
            double tax = on == null ? Double.NaN : on.perSecond() / r.perSecond();
            csv.row(c, r.perSecond(), r.latency().p50(), r.latency().p99(), r.errors(), jdbc.perSecond(),
                    jdbc.latency().p50(), jdbc.latency().p99(), ratio, on == null ? Double.NaN : on.perSecond(), tax);
            md.append(String.format(Locale.ROOT, "| %d | %s | %s / %s | %s | %s / %s | %.2f | %s | %s |%n", c,
                    Csv.num(r.perSecond()), Csv.num(r.latency().p50()), Csv.num(r.latency().p99()),
                    Csv.num(jdbc.perSecond()), Csv.num(jdbc.latency().p50()), Csv.num(jdbc.latency().p99()), ratio,
                    on == null ? "–" : Csv.num(on.perSecond()),
                    on == null ? "–" : String.format(Locale.ROOT, "%.2f", tax)));
            headline.put("REST ÷ JDBC at " + c + " clients", String.format(Locale.ROOT, "%.2f (%s vs %s /s)", ratio,
                    Csv.num(r.perSecond()), Csv.num(jdbc.perSecond())));
            if (on != null) {
                headline.put("pipeline tax at " + c + " clients", String.format(Locale.ROOT, "%.2f", tax));
            }
        }
    }

    /** 100 000 outbox rows committed while the relay is stopped, then the relay started. */
    private void drain() throws Exception {
        section("Relay drain");
        int rows = sizes.drainRows();
        log("Drain: committing " + rows + " outbox rows with the relay stopped ...");
        try (Admin admin = stack.admin()) {
            admin.createTopics(List.of(new NewTopic(DRAIN_TOPIC, 3, (short) 1))).all().get();
        }
        int chunk = 1000;
        for (int from = 1; from <= rows; from += chunk) {
            int to = Math.min(rows, from + chunk - 1);
            BenchStack.execute(stack.orders(), "INSERT INTO outbox (id, aggregate_type, aggregate_id, aggregate_sequence,"
                    + " type, payload, headers, created_at) SELECT gen_random_uuid(), '" + DRAIN_TOPIC + "', 'drain-' || g,"
                    + " 1, 'OrderCreated', jsonb_build_object('schemaVersion', 1, 'n', g, 'pad', repeat('x', 250)),"
                    + " '{}'::jsonb, now() FROM generate_series(" + from + ", " + to + ") g");
        }
        log("Drain: starting the relay ...");
        long launched = System.nanoTime();
        Thread starter = new Thread(stack::startDefaultRelay, "relay-start");
        starter.start();
        long firstSeen = -1;
        long done = -1;
        double relayCpuAtFirst = -1;
        double pgCpuAtFirst = -1;
        double kafkaCpuAtFirst = -1;
        long deadline = launched + Duration.ofMinutes(5).toNanos();
        try (Admin admin = stack.admin()) {
            while (System.nanoTime() < deadline) {
                long count = endOffsets(admin, DRAIN_TOPIC);
                if (count > 0 && firstSeen < 0) {
                    firstSeen = System.nanoTime();
                    relayCpuAtFirst = ProcessStats.cpuSeconds(stack.relay().pid(), false);
                    pgCpuAtFirst = ProcessStats.cpuSecondsWithDescendants(stack.pids().get("postgres"));
                    kafkaCpuAtFirst = ProcessStats.cpuSeconds(stack.pids().get("kafka"), false);
                }
                if (count >= rows) {
                    done = System.nanoTime();
                    break;
                }
                Pause.millis(50);
            }
        }
        starter.join();
        double relayCpuTotal = ProcessStats.cpuSeconds(stack.relay().pid(), false);
        double relayCpu = relayCpuTotal - relayCpuAtFirst;
        double pgCpu = ProcessStats.cpuSecondsWithDescendants(stack.pids().get("postgres")) - pgCpuAtFirst;
        double kafkaCpu = ProcessStats.cpuSeconds(stack.pids().get("kafka"), false) - kafkaCpuAtFirst;
        double seconds = (done - firstSeen) / 1e9;
        double rate = done < 0 ? Double.NaN : rows / seconds;
        Csv csv = new Csv(out.resolve("drain.csv"), "rows", "seconds_first_to_last", "seconds_from_launch", "events_per_s",
                "relay_cpu_s_per_1000", "postgres_cpu_s_per_1000", "kafka_cpu_s_per_1000", "relay_cpu_s_incl_startup");
        csv.row(rows, seconds, (done - launched) / 1e9, rate, relayCpu / rows * 1000, pgCpu / rows * 1000,
                kafkaCpu / rows * 1000, relayCpuTotal);
        md.append(String.format(Locale.ROOT, """
                %d outbox rows (≈ 300-byte payloads, committed 1 000 per transaction) while the relay was stopped; then \
                the relay (our settings) was started. Billing was stopped (these rows go to their own topic).

                | events/s (first → last record) | from relay launch | relay CPU s / 1000 events | PostgreSQL CPU s / 1000 | Kafka CPU s / 1000 | relay CPU incl. start-up |
                |---|---|---|---|---|---|
                | %s | %s s | %s | %s | %s | %s s |
                """, rows, Csv.num(rate), Csv.num((done - launched) / 1e9), Csv.num(relayCpu / rows * 1000),
                Csv.num(pgCpu / rows * 1000), Csv.num(kafkaCpu / rows * 1000), Csv.num(relayCpuTotal)));
        headline.put("relay drain (events/s)", Csv.num(rate));
        headline.put("relay CPU s per 1000 events (drain)", String.format(Locale.ROOT, "%.3f", relayCpu / rows * 1000));
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (int p = 0; p < 3; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    /** Relay started with Debezium's defaults (and other variants) vs ours, and the polling relay vs CDC. */
    private void relayVariants(Comparison cdcWithBilling, Comparison polling) {
        List<Comparison> variants = new ArrayList<>();
        variants.add(comparisonRun("ours (poll 10 ms, offsets after every batch, lz4, linger 5)"));
        if (sizes.offsetFlushVariant()) {
            log("Relay variant: offsets flushed every 1 s ...");
            stack.restartRelayWith(Map.of("relay.offsets.flush-interval", "1s"));
            variants.add(comparisonRun("ours + offsets flushed every 1 s"));
        }
        log("Relay variant: Debezium defaults ...");
        stack.restartRelayWith(Map.of(
                "relay.streaming.poll-interval", "500ms",
                "relay.streaming.max-batch-size", "2048",
                "relay.streaming.max-queue-size", "8192",
                "relay.offsets.flush-interval", "60s",
                "relay.producer.compression.type", "none",
                "relay.producer.batch.size", "16384",
                "relay.producer.linger.ms", "5"));
        variants.add(comparisonRun("Debezium/Kafka defaults (poll 500 ms, offsets every 60 s, no compression)"));
        stack.stopRelay();

        section("Relay settings: Debezium defaults vs ours");
        md.append("""
                Same open-loop load (%d orders/s, %d s) for each relay configuration, billing stopped. Delays in ms from \
                the order's created_at. CPU in %% of one core.

                | relay settings | produced p50 / p99 | on Kafka p50 / p95 / p99 / max | relay CPU | events per batch |
                |---|---|---|---|---|
                """.formatted(sizes.comparisonRate(), sizes.comparisonDuration().toSeconds()));
        Csv csv = new Csv(out.resolve("relay-settings.csv"), "variant", "produced_p50", "produced_p99", "kafka_p50",
                "kafka_p95", "kafka_p99", "kafka_max", "relay_cpu_pct", "events_per_batch");
        for (Comparison v : variants) {
            csv.row(v.name().replace(',', ';'), v.produced().p50(), v.produced().p99(), v.kafka().p50(), v.kafka().p95(),
                    v.kafka().p99(), v.kafka().max(), v.usage().cpuPercent().get("outbox-relay"),
                    v.usage().relayEventsPerBatch());
            md.append(String.format(Locale.ROOT, "| %s | %s / %s | %s | %s %% | %s |%n", v.name(), Csv.num(v.produced().p50()),
                    Csv.num(v.produced().p99()), four(v.kafka()), Csv.num(v.usage().cpuPercent().get("outbox-relay")),
                    Csv.num(v.usage().relayEventsPerBatch())));
        }
        Comparison defaults = variants.get(variants.size() - 1);
        headline.put("on Kafka p50 ms, ours vs Debezium defaults", Csv.num(variants.get(0).kafka().p50()) + " vs "
                + Csv.num(defaults.kafka().p50()));

        section("Polling relay vs CDC relay");
        md.append("""
                Same open-loop load (%d orders/s, %d s), billing running. The polling relay (benchmark code only) runs in \
                the benchmark JVM: `SELECT … ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED` every 100 ms, \
                publish, wait for acks, `DELETE` the rows, commit. Database load = counters of the orders database \
                (pg_stat_database) and WAL (pg_stat_wal, cluster-wide) per second, and CPU of all PostgreSQL processes. \
                The benchmark JVM also generates the load: its CPU with polling minus with CDC ≈ the polling relay's CPU.

                | relay | on Kafka p50 / p95 / p99 / max | invoice p50 / p99 | orders-db xact/s | tuples read/s | tuples deleted/s | WAL syncs/s | WAL KiB/s | PostgreSQL CPU | relay JVM CPU | benchmark JVM CPU |
                |---|---|---|---|---|---|---|---|---|---|---|
                """.formatted(sizes.comparisonRate(), sizes.comparisonDuration().toSeconds()));
        Csv pcsv = new Csv(out.resolve("polling-vs-cdc.csv"), "relay", "kafka_p50", "kafka_p95", "kafka_p99", "kafka_max",
                "invoice_p50", "invoice_p99", "orders_xact_s", "tup_read_s", "tup_deleted_s", "wal_sync_s", "wal_kib_s",
                "postgres_cpu_pct", "relay_cpu_pct", "benchmark_jvm_cpu_pct");
        for (Comparison c : List.of(cdcWithBilling, polling)) {
            ResourceWindow.Usage u = c.usage();
            boolean isPolling = c == polling;
            double relayCpu = isPolling ? Double.NaN : u.cpuPercent().get("outbox-relay");
            double benchCpu = u.cpuPercent().get("benchmark");
            double read = u.rate("orders.tup_returned") + u.rate("orders.tup_fetched");
            pcsv.row(c.name(), c.kafka().p50(), c.kafka().p95(), c.kafka().p99(), c.kafka().max(), c.invoice().p50(),
                    c.invoice().p99(), u.rate("orders.xact_commit"), read, u.rate("orders.tup_deleted"),
                    u.rate("orders.wal_sync"), u.rate("orders.wal_bytes") / 1024, u.cpuPercent().get("postgres"), relayCpu,
                    benchCpu);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s / %s | %s | %s | %s | %s | %s | %s %% | %s | %s %% |%n", c.name(),
                    four(c.kafka()), Csv.num(c.invoice().p50()), Csv.num(c.invoice().p99()),
                    Csv.num(u.rate("orders.xact_commit")), Csv.num(read), Csv.num(u.rate("orders.tup_deleted")),
                    Csv.num(u.rate("orders.wal_sync")), Csv.num(u.rate("orders.wal_bytes") / 1024),
                    Csv.num(u.cpuPercent().get("postgres")), isPolling ? "– (in the benchmark JVM)" : Csv.num(relayCpu) + " %",
                    Csv.num(benchCpu)));
        }
        headline.put("on Kafka p99 ms, CDC vs polling (100 ms)", Csv.num(cdcWithBilling.kafka().p99()) + " vs "
                + Csv.num(polling.kafka().p99()));
    }

    private void memorySection(Map<String, Double> peaks) {
        section("Peak memory (VmHWM)");
        md.append("| process | peak RSS MiB |\n|---|---|\n");
        Csv csv = new Csv(out.resolve("memory.csv"), "process", "peak_rss_mib");
        peaks.forEach((name, mib) -> {
            csv.row(name, mib);
            md.append("| ").append(name).append(" | ").append(Csv.num(mib)).append(" |\n");
        });
        md.append("\nServices run with `-Xmx512m`; the Kafka broker with `-Xmx512m`.\n");
    }

    // ---------------------------------------------------------------- report

    private void header() {
        md.append("# outbox-cdc benchmarks\n\n");
        md.append(String.format(Locale.ROOT, "Run %s UTC%s. Machine: %d cores, %.0f GiB RAM, %s %s, JDK %s. "
                + "Every part is its own process on this one machine; the load generator shares the cores.%n",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(Instant.now().atOffset(ZoneOffset.UTC)),
                sizes.quick() ? " (**--quick**: tiny sizes, a smoke test, not figures)" : "",
                Runtime.getRuntime().availableProcessors(), totalMemoryGiB(), System.getProperty("os.name"),
                osRelease(), System.getProperty("java.version")));
        md.append("\nMachine load at the start: ").append(loadAverage()).append("\n\n@@HEADLINE@@\n");
    }

    private void section(String title) {
        md.append("\n## ").append(title).append("\n\n");
    }

    private void chart(TreeMap<Integer, RateResult> results) {
        List<double[]> kafka50 = new ArrayList<>();
        List<double[]> kafka99 = new ArrayList<>();
        List<double[]> inv50 = new ArrayList<>();
        List<double[]> inv99 = new ArrayList<>();
        results.forEach((rate, r) -> {
            kafka50.add(new double[] {rate, r.kafka().p50()});
            kafka99.add(new double[] {rate, r.kafka().p99()});
            inv50.add(new double[] {rate, r.invoice().p50()});
            inv99.add(new double[] {rate, r.invoice().p99()});
        });
        String svg = DelayChart.svg("Delay from order commit vs offered rate", List.of(
                new DelayChart.Series("commit → Kafka p50", "#1f77b4", false, kafka50),
                new DelayChart.Series("commit → Kafka p99", "#1f77b4", true, kafka99),
                new DelayChart.Series("commit → invoice p50", "#d62728", false, inv50),
                new DelayChart.Series("commit → invoice p99", "#d62728", true, inv99)));
        try {
            Files.writeString(out.resolve("delay-vs-rate.svg"), svg);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        md.append("\n![delay vs rate](delay-vs-rate.svg)\n");
    }

    private Path writeReport() throws IOException {
        StringBuilder h = new StringBuilder("## Headline\n\n| figure | value |\n|---|---|\n");
        headline.forEach((k, v) -> h.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        String text = md.toString().replace("@@HEADLINE@@", h.toString());
        Path report = out.resolve("report.md");
        Files.writeString(report, text);
        return report;
    }

    private static String four(Percentiles p) {
        return Csv.num(p.p50()) + " / " + Csv.num(p.p95()) + " / " + Csv.num(p.p99()) + " / " + Csv.num(p.max());
    }

    private static String cpuList(Map<String, Double> cpu) {
        List<String> values = new ArrayList<>();
        for (String part : PARTS) {
            values.add(Csv.num(Optional.ofNullable(cpu.get(part)).orElse(Double.NaN)));
        }
        return String.join(" / ", values);
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return Double.NaN;
    }

    private static String osRelease() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return System.getProperty("os.version");
    }

    private static String loadAverage() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim()
                    + " (other JVMs running tests at the same time would show here)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
