package io.outboxcdc.bench;

import io.outboxcdc.bench.delay.InvoiceDelays;
import io.outboxcdc.bench.load.OrderRequests;
import io.outboxcdc.bench.measure.ForeignCpu;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.bench.scenario.WarmUp;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.bench.stack.Pause;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every scenario shares: the running system, the report, the order client, and the guard against a busy
 * machine. {@link #measured} runs one measurement and runs it again when processes outside the system used more
 * than {@code maxForeignCpu} % of a core meanwhile.
 */
public final class Bench {

    private final Sizes sizes;
    private final Path out;
    private final Report report;
    private final double maxForeignCpu;
    private final int rerunBudget;
    private final ForeignCpu foreign;
    private BenchStack stack;
    private OrderRequests requests;
    private InvoiceDelays invoices;
    private final WarmUp warmUp;
    private int reruns;

    public Bench(Sizes sizes, Path out, Report report, double maxForeignCpu, int rerunBudget) {
        this.sizes = sizes;
        this.out = out;
        this.report = report;
        this.maxForeignCpu = maxForeignCpu;
        this.rerunBudget = rerunBudget;
        this.foreign = new ForeignCpu(this::systemRoots);
        this.warmUp = new WarmUp(this);
    }

    /** The one warm-up procedure, which also keeps the record of every warm-up for the report. */
    public WarmUp warmUp() {
        return warmUp;
    }

    void attach(BenchStack running) {
        this.stack = running;
        this.requests = new OrderRequests(URI.create(running.config().orderAppUrl()));
        this.invoices = new InvoiceDelays(running.orders(), running.billing());
    }

    private Set<Long> systemRoots() {
        Set<Long> roots = new HashSet<>();
        if (stack != null) {
            roots.addAll(stack.pids().values());
        }
        return roots;
    }

    public Sizes sizes() {
        return sizes;
    }

    public Path out() {
        return out;
    }

    public Report report() {
        return report;
    }

    public BenchStack stack() {
        return stack;
    }

    public OrderRequests requests() {
        return requests;
    }

    public InvoiceDelays invoices() {
        return invoices;
    }

    /**
     * Runs {@code measurement}; if other processes used more than the limit meanwhile, runs it again (within the
     * suite's re-run budget). Before it, waits up to 30 s for the machine to calm down. Each run is logged in the
     * report's machine-load table.
     */
    public <T> T measured(String section, Supplier<T> measurement) {
        double before = awaitQuiet();
        String loadAverage = ForeignCpu.loadAverage();
        int attempt = 0;
        while (true) {
            ForeignCpu.Mark mark = foreign.mark();
            T result = measurement.get();
            double during = foreign.percentSince(mark);
            boolean busy = during > maxForeignCpu;
            if (busy && reruns < rerunBudget) {
                reruns++;
                attempt++;
                log(String.format("  other processes used %.0f %% of a core during '%s': measuring again", during,
                        section));
                before = awaitQuiet();
                continue;
            }
            report.load(new Report.Load(section + (busy ? " (**busy**)" : ""), loadAverage, before, during, attempt));
            return result;
        }
    }

    /** Others' CPU over one second, waiting (up to 30 s) while it is above the limit; returns the last sample. */
    public double awaitQuiet() {
        // --quick measures nothing worth waiting for: one short sample, for the record.
        long deadline = System.nanoTime() + Duration.ofSeconds(sizes.quick() ? 0 : 30).toNanos();
        while (true) {
            ForeignCpu.Mark mark = foreign.mark();
            Pause.millis(sizes.quick() ? 300 : 1000);
            double percent = foreign.percentSince(mark);
            if (!(percent > maxForeignCpu) || System.nanoTime() > deadline) {
                return percent;
            }
            log(String.format("  machine busy (others %.0f %% of a core, load %s): waiting", percent,
                    ForeignCpu.loadAverage()));
        }
    }

    /**
     * Waits until billing's group has consumed the whole orders topic and the topic stopped growing (relay done);
     * false if that did not happen within {@code timeout}.
     */
    public boolean awaitPipelineIdle(Duration timeout) {
        return awaitPipelineIdle(timeout, 0);
    }

    /**
     * @param markerSlack lag that may remain when billing is done: with a transactional producer (the relay on
     *     Connect with exactly-once) the last record of a partition can be followed by one commit marker, which
     *     the end offset counts and billing's committed offset never passes; at most one per partition
     */
    public boolean awaitPipelineIdle(Duration timeout, long markerSlack) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long previousLag = Long.MIN_VALUE;
        while (System.nanoTime() < deadline) {
            long lag = stack.billingLag();
            if (lag >= 0 && lag <= markerSlack && lag == previousLag) {
                return true;
            }
            previousLag = lag;
            Pause.millis(500);
        }
        return false;
    }

    /**
     * After a scenario that left billing a backlog it cannot finish in time: billing's group moves to the end of
     * the topic (billing restarts, then warms up again).
     */
    public void settleBilling(Duration timeout) {
        settleBilling(timeout, 0);
    }

    /** {@link #settleBilling(Duration)} with the commit markers a transactional relay leaves (see above). */
    public void settleBilling(Duration timeout, long markerSlack) {
        if (awaitPipelineIdle(timeout, markerSlack)) {
            return;
        }
        log("  billing is " + stack.billingLag() + " records behind: moving its group to the end of the topic");
        stack.stopBilling();
        stack.moveBillingToEnd();
        stack.startBilling();
        warmUp.untilSteady("billing after restart", java.util.List.of("billing-consumer"));
    }

    public static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
