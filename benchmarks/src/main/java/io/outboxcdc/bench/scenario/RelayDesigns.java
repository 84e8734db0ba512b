package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.system.stack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The relay's publishing designs side by side on the same open-loop load (the fixed rate, billing running): the
 * relay as configured by default, the design before issue 12 ({@code relay.publishing=BATCH_SYNC}, when the relay
 * has that switch) and Debezium/Kafka defaults. Every variant is warmed until steady before it is measured (the
 * others after their restart), so none runs colder than another.
 */
public final class RelayDesigns {

    private final Bench bench;

    public RelayDesigns(Bench bench) {
        this.bench = bench;
    }

    private record Variant(String name, Map<String, String> overrides) {
    }

    public void run() {
        boolean switchExists = relayHasPublishingSwitch();
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant(switchExists ? "pipelined (relay.publishing=PIPELINED, the default)"
                : "the relay's defaults (poll 10 ms, offsets after every batch)", Map.of()));
        // --quick measures the default relay only: a restart costs more than the smoke's time budget allows.
        if (bench.sizes().allDesigns()) {
            if (switchExists) {
                // The design before issue 12: every batch waits for its acks, then flushes offsets synchronously.
                variants.add(new Variant("batch-synchronous (relay.publishing=BATCH_SYNC, offsets after every "
                        + "batch: before issue 12)",
                        Map.of("relay.publishing", "BATCH_SYNC", "relay.offsets.flush-interval", "0ms")));
            }
            Map<String, String> defaults = new LinkedHashMap<>();
            if (switchExists) {
                defaults.put("relay.publishing", "BATCH_SYNC");
            }
            defaults.put("relay.streaming.poll-interval", "500ms");
            defaults.put("relay.streaming.max-batch-size", "2048");
            defaults.put("relay.streaming.max-queue-size", "8192");
            defaults.put("relay.offsets.flush-interval", "60s");
            defaults.put("relay.producer.compression.type", "none");
            defaults.put("relay.producer.batch.size", "16384");
            defaults.put("relay.producer.linger.ms", "5");
            variants.add(new Variant("Debezium/Kafka defaults (poll 500 ms, offsets every 60 s, no compression)",
                    defaults));
        }
        measureAll(variants, switchExists);
    }

    private void measureAll(List<Variant> variants, boolean switchExists) {
        Map<Variant, OpenLoopRun> results = new LinkedHashMap<>();
        WarmUp warmUp = bench.warmUp();
        for (Variant v : variants) {
            Bench.log("Relay design: " + v.name() + " ...");
            if (v.overrides().isEmpty()) {
                // The stack's own relay has run (warm) since the start; the warm-up below confirms it is steady.
                if (!bench.stack().relay().isAlive()) {
                    bench.stack().startDefaultRelay();
                }
            } else {
                bench.stack().restartRelayWith(v.overrides());
            }
            warmUp.untilSteady("relay: " + v.name(), List.of("outbox-relay"));
            results.put(v, bench.measured("relay design: " + v.name(),
                    () -> OpenLoopRun.run(bench, bench.sizes().fixedRate(), bench.sizes().designDuration(), true)));
            bench.settleBilling(bench.sizes().catchUp());
        }
        write(results, switchExists);
    }

    /** A's switch (issue 12) exists once the relay's sources name BATCH_SYNC. */
    static boolean relayHasPublishingSwitch() {
        Path sources = StackConfig.findHome().resolve("outbox-relay/src/main");
        if (!Files.isDirectory(sources)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.readString(f).contains("BATCH_SYNC");
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private void write(Map<Variant, OpenLoopRun> results, boolean switchExists) {
        var sizes = bench.sizes();
        Report report = bench.report();
        report.section("Relay designs: commit → Kafka at " + sizes.fixedRate() + " orders/s");
        report.text(String.format(Locale.ROOT, """
                Same open-loop load (%d orders/s, %d s, billing running) per relay variant; each variant warmed \
                until steady first (the default relay has run since the start; the others are restarted). Delays in ms from the order's `created_at`; relay CPU in ms per order.%s

                | relay | produced p50 / p99 | on Kafka p50 / p95 / p99 / max | invoice p50 / p99 | relay CPU ms/order | events per offset commit |
                |---|---|---|---|---|---|
                """, sizes.fixedRate(), sizes.designDuration().toSeconds(), switchExists ? ""
                        : " The relay in this build has no `relay.publishing` switch: only its defaults and Debezium's."));
        Csv csv = new Csv(bench.out().resolve("relay-designs.csv"), "variant", "produced_p50", "produced_p99",
                "kafka_p50", "kafka_p95", "kafka_p99", "kafka_max", "invoice_p50", "invoice_p99", "relay_cpu_ms_per_order",
                "events_per_offset_commit");
        List<String> summary = new ArrayList<>();
        results.forEach((v, r) -> {
            double relayMs = r.cpuMsPerOrder().getOrDefault("outbox-relay", Double.NaN);
            csv.row(v.name().replace(',', ';'), r.produced().p50(), r.produced().p99(), r.kafka().p50(),
                    r.kafka().p95(), r.kafka().p99(), r.kafka().max(), r.invoice().p50(), r.invoice().p99(), relayMs,
                    r.usage().relayEventsPerBatch());
            report.line("| %s | %s / %s | %s | %s / %s | %s | %s |", v.name(), Csv.num(r.produced().p50()),
                    Csv.num(r.produced().p99()), RateSearch.four(r.kafka()), Csv.num(r.invoice().p50()),
                    Csv.num(r.invoice().p99()), Csv.num(relayMs), Csv.num(r.usage().relayEventsPerBatch()));
            summary.add(Csv.num(r.kafka().p50()) + " / " + Csv.num(r.kafka().p99()));
        });
        List<String> names = new ArrayList<>();
        names.add(switchExists ? "pipelined" : "ours");
        if (switchExists && sizes.allDesigns()) {
            names.add("batch-sync");
        }
        if (sizes.allDesigns()) {
            names.add("Debezium defaults");
        }
        report.headline("commit → Kafka p50 / p99 at " + sizes.fixedRate() + "/s (ms): " + String.join(" vs ", names),
                String.join(" vs ", summary), null, null);
    }
}
