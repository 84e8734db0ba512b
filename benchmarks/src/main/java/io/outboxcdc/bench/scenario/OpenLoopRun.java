package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.delay.DelaySamples;
import io.outboxcdc.bench.delay.TopicDelayProbe;
import io.outboxcdc.bench.load.OpenLoop;
import io.outboxcdc.bench.measure.Percentiles;
import io.outboxcdc.bench.measure.ResourceWindow;
import io.outboxcdc.bench.stack.Pause;
import io.outboxcdc.system.stack.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One open-loop run at a fixed rate with everything measured around it: commit → produced / on Kafka (a probe
 * consumer) / invoice, CPU of every process, database counters. <i>Bounded</i> = achieved ≥ 90 % of the rate,
 * everything billed within the catch-up time, and for both Kafka and invoice delays the median of the run's last
 * quarter ≤ 1 s and ≤ 2 × that of its second quarter + 250 ms.
 */
public record OpenLoopRun(int rate, OpenLoop.Result load, boolean bounded, long backlog, Percentiles produced,
        Percentiles kafka, Percentiles invoice, ResourceWindow.Usage usage) {

    public static OpenLoopRun run(Bench bench, int rate, Duration duration, boolean withInvoices) {
        var sizes = bench.sizes();
        TopicDelayProbe probe = new TopicDelayProbe(bench.stack().kafkaBootstrap(), LocalStack.ORDERS_TOPIC);
        OpenLoop.Result load;
        ResourceWindow.Usage usage;
        try {
            ResourceWindow window = ResourceWindow.begin(bench.stack());
            load = OpenLoop.run(bench.requests(), rate, duration, sizes.openLoopClients());
            usage = window.end();
            long deadline = System.nanoTime() + sizes.catchUp().toNanos();
            while (probe.received().size() < load.acknowledged() && System.nanoTime() < deadline) {
                Pause.millis(100);
            }
        } finally {
            probe.close();
        }
        Instant from = load.start();
        Instant to = load.end();
        long backlog = 0;
        Percentiles invoice = Percentiles.NONE;
        boolean invoicesBounded = true;
        if (withInvoices) {
            backlog = bench.invoices().awaitBilled(from, to, sizes.catchUp());
            DelaySamples samples = bench.invoices().samples(from, to);
            invoice = samples.between(from, to);
            invoicesBounded = backlog == 0 && samples.bounded(from, to);
        }
        boolean bounded = load.achievedRate() >= 0.9 * rate && probe.received().bounded(from, to) && invoicesBounded;
        return new OpenLoopRun(rate, load, bounded, backlog, probe.produced().between(from, to),
                probe.received().between(from, to), invoice, usage);
    }

    /** CPU ms per acknowledged order, per process. */
    public Map<String, Double> cpuMsPerOrder() {
        Map<String, Double> perOrder = new LinkedHashMap<>();
        double orders = load.acknowledged();
        usage.cpuPercent().forEach((name, pct) -> perOrder.put(name,
                pct < 0 || orders == 0 ? Double.NaN : pct / 100 * usage.seconds() * 1000 / orders));
        return perOrder;
    }
}
