package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.measure.Percentiles;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.DelayChart;
import io.outboxcdc.bench.report.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixed-rate row (commit → Kafka and → invoice at 300 orders/s, CPU ms per order of every process) and the
 * search for the highest rate with bounded lag: from 500/s up by ×1.5 until a rate is not bounded, then bisection
 * until the bracket is 25 orders/s wide. Writes delay-vs-rate.csv and the chart.
 */
public final class RateSearch {

    private static final String[] PARTS = {"order-app", "outbox-relay", "billing-consumer", "kafka", "postgres",
        "benchmark"};

    private final Bench bench;
    private final TreeMap<Integer, OpenLoopRun> results = new TreeMap<>();
    private Csv csv;

    public RateSearch(Bench bench) {
        this.bench = bench;
    }

    public void run() {
        var sizes = bench.sizes();
        csv = new Csv(bench.out().resolve("delay-vs-rate.csv"), "rate", "achieved", "shed", "bounded",
                "produced_p50", "produced_p99", "kafka_p50", "kafka_p95", "kafka_p99", "kafka_max",
                "invoice_p50", "invoice_p95", "invoice_p99", "invoice_max", "not_billed",
                "cpu_ms_order_app", "cpu_ms_relay", "cpu_ms_billing", "cpu_ms_kafka", "cpu_ms_postgres",
                "cpu_ms_load_generator", "machine_busy_pct", "iowait_pct", "wal_sync_s", "rest_p50", "rest_p99");
        OpenLoopRun fixed = rateRun(sizes.fixedRate(), sizes.fixedDuration());
        int lo = fixed.bounded() ? sizes.fixedRate() : 0;
        Integer hi = fixed.bounded() ? null : sizes.fixedRate();
        int runs = 0;
        if (sizes.searchMaxRuns() > 0 && hi == null) {
            int next = Math.max(sizes.searchStart(), lo + sizes.searchResolution());
            while (hi == null && runs < sizes.searchMaxRuns()) {
                OpenLoopRun r = rateRun(next, sizes.searchDuration());
                runs++;
                if (r.bounded()) {
                    lo = next;
                    next = round(next * 3 / 2);
                } else {
                    hi = next;
                }
            }
        }
        while (hi != null && hi - lo > sizes.searchResolution() && runs < sizes.searchMaxRuns()) {
            int mid = Math.max(lo + sizes.searchResolution(), round((lo + hi) / 2));
            if (mid >= hi) {
                break;
            }
            OpenLoopRun r = rateRun(mid, sizes.searchDuration());
            runs++;
            if (r.bounded()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        write(fixed, lo, hi);
    }

    private int round(int rate) {
        int step = bench.sizes().searchResolution();
        return Math.max(step, rate / step * step);
    }

    private OpenLoopRun rateRun(int rate, Duration duration) {
        OpenLoopRun r = bench.measured("open loop " + rate + "/s", () -> {
            Bench.log("Open loop at " + rate + " orders/s for " + duration.toSeconds() + " s ...");
            return OpenLoopRun.run(bench, rate, duration, true);
        });
        Bench.log(String.format(Locale.ROOT, "  achieved %.0f/s, on Kafka p50 %s p99 %s ms, invoice p50 %s p99 %s ms, bounded %s",
                r.load().achievedRate(), Csv.num(r.kafka().p50()), Csv.num(r.kafka().p99()), Csv.num(r.invoice().p50()),
                Csv.num(r.invoice().p99()), r.bounded()));
        results.put(rate, r);
        Map<String, Double> ms = r.cpuMsPerOrder();
        var u = r.usage();
        csv.row(rate, r.load().achievedRate(), r.load().shed(), r.bounded(), r.produced().p50(), r.produced().p99(),
                r.kafka().p50(), r.kafka().p95(), r.kafka().p99(), r.kafka().max(), r.invoice().p50(), r.invoice().p95(),
                r.invoice().p99(), r.invoice().max(), r.backlog(), ms.get("order-app"), ms.get("outbox-relay"),
                ms.get("billing-consumer"), ms.get("kafka"), ms.get("postgres"), ms.get("benchmark"),
                u.machineBusyPercent(), u.iowaitPercent(), u.rate("orders.wal_sync"), r.load().latencyFromDue().p50(),
                r.load().latencyFromDue().p99());
        if (!r.bounded()) {
            bench.settleBilling(bench.sizes().catchUp());
        }
        return r;
    }

    private void write(OpenLoopRun fixed, int lo, Integer hi) {
        Report report = bench.report();
        report.section("End-to-end delay at fixed rates (open loop)");
        report.text(String.format(Locale.ROOT, """
                Orders are due at a fixed rate whatever the answers do (%d client threads; orders that would wait > 2 s \
                for a thread are shed). Delays in ms from the order's `created_at`: **produced** = the Kafka record's \
                CreateTime (relay's producer send), **on Kafka** = a probe consumer received it, **invoice** = billing's \
                `issued_at`. *Bounded* = achieved ≥ 90 %% of the rate, everything billed within %d s after the run, and \
                for both Kafka and invoice delays the median of the run's last quarter ≤ 1 s and ≤ 2 × that of its \
                second quarter + 250 ms. CPU in **ms per order** of each process (load gen = this benchmark's JVM, \
                which only sends HTTP requests and reads the probe); busy = all cores, %% of one core.

                | rate | achieved | bounded | produced p50/p99 | on Kafka p50/p95/p99/max | invoice p50/p95/p99/max | CPU ms/order app / relay / billing / kafka / pg / load gen | busy / iowait %% | WAL syncs/s |
                |---|---|---|---|---|---|---|---|---|
                """, bench.sizes().openLoopClients(), bench.sizes().catchUp().toSeconds()));
        int cores = Runtime.getRuntime().availableProcessors();
        results.forEach((rate, r) -> {
            List<String> cpu = new ArrayList<>();
            for (String part : PARTS) {
                cpu.add(Csv.num(r.cpuMsPerOrder().getOrDefault(part, Double.NaN)));
            }
            report.line("| %d | %s | %s | %s / %s | %s | %s%s | %s | %s / %s | %s |", rate,
                    Csv.num(r.load().achievedRate()), r.bounded() ? "yes" : "**no**", Csv.num(r.produced().p50()),
                    Csv.num(r.produced().p99()), four(r.kafka()), four(r.invoice()),
                    r.backlog() > 0 ? " (" + r.backlog() + " not billed)" : "", String.join(" / ", cpu),
                    Csv.num(r.usage().machineBusyPercent() * cores), Csv.num(r.usage().iowaitPercent() * cores),
                    Csv.num(r.usage().rate("orders.wal_sync")));
        });
        String best = lo == 0 ? "none of the rates tried" : Integer.toString(lo);
        report.line("%nHighest rate measured with bounded lag: **%s orders/s**%s.", best,
                hi == null ? "" : " (" + hi + "/s was not bounded)");
        report.headline("highest bounded rate (orders/s, everything on 2 cores)",
                (lo == 0 ? "< " + results.firstKey() : Integer.toString(lo)) + (hi == null ? "" : " (" + hi + ": unbounded)"),
                "≥ 500", lo >= 500);
        int rate = fixed.rate();
        report.headline("commit → Kafka (probe consumer) p50 / p99 at " + rate + "/s (ms)",
                Csv.num(fixed.kafka().p50()) + " / " + Csv.num(fixed.kafka().p99()), "p50 ≤ 10, p99 ≤ 50",
                Report.atMost(fixed.kafka().p50(), 10) && Report.atMost(fixed.kafka().p99(), 50));
        report.headline("commit → invoice p50 / p99 at " + rate + "/s (ms)",
                Csv.num(fixed.invoice().p50()) + " / " + Csv.num(fixed.invoice().p99()), "p99 ≤ 100",
                Report.atMost(fixed.invoice().p99(), 100));
        Map<String, Double> ms = fixed.cpuMsPerOrder();
        report.headline("CPU ms per order at " + rate + "/s: app / relay / billing / kafka / pg / load generator",
                String.join(" / ", java.util.Arrays.stream(PARTS).map(p -> Csv.num(ms.getOrDefault(p, Double.NaN))).toList()),
                null, null);
        chart();
    }

    private void chart() {
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
            Files.writeString(bench.out().resolve("delay-vs-rate.svg"), svg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bench.report().text("\n![delay vs rate](delay-vs-rate.svg)\n");
    }

    static String four(Percentiles p) {
        return Csv.num(p.p50()) + " / " + Csv.num(p.p95()) + " / " + Csv.num(p.p99()) + " / " + Csv.num(p.max());
    }
}
