package io.outboxcdc.system.live;

import io.outboxcdc.system.verify.SystemVerifier;
import io.outboxcdc.system.verify.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The invariant line. Whether an event was lost or applied twice can only be judged once the pipeline has caught up
 * (before, an event in flight looks lost), so the full verification ({@link SystemVerifier}, the same as
 * {@code ./outbox-cdc verify}) runs by itself when nothing is in flight, no consumer lags, every part is UP and
 * something changed since the last check; and on demand. Between checks the line shows what is still in flight.
 */
final class InvariantCheck implements AutoCloseable {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Duration AUTO_SETTLE = Duration.ofSeconds(20);
    private static final Duration ON_DEMAND_SETTLE = Duration.ofSeconds(60);
    private static final Duration QUIET_BETWEEN_CHECKS = Duration.ofSeconds(5);
    private static final Duration AFTER_A_FAILED_RUN = Duration.ofSeconds(30);

    private final Supplier<SystemVerifier> verifier;
    private final Supplier<Set<UUID>> acknowledged;
    private final Timeline timeline;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "live-verify");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile VerificationReport last;
    private volatile Instant lastCheckedAt;
    private volatile Instant lastFinishedAt = Instant.EPOCH;
    private volatile long lastCheckedOrders = -1;
    private volatile boolean changedSinceCheck = true;
    private volatile String lastError;
    private volatile Instant nextAutoRun = Instant.EPOCH;

    InvariantCheck(Supplier<SystemVerifier> verifier, Supplier<Set<UUID>> acknowledged, Timeline timeline) {
        this.verifier = verifier;
        this.acknowledged = acknowledged;
        this.timeline = timeline;
    }

    /** A fault or an action happened: the next quiet moment deserves a check. */
    void changed() {
        changedSinceCheck = true;
    }

    /** Called every sample; starts a check in the background when the pipeline is quiet and something changed. */
    void maybeRun(Long inFlight, Long consumerLag, Double relayLagSeconds, boolean allUp, Long ordersCommitted) {
        boolean quiet = inFlight != null && inFlight == 0 && consumerLag != null && consumerLag == 0
                && relayLagSeconds != null && relayLagSeconds == 0 && allUp;
        boolean changed = changedSinceCheck || (ordersCommitted != null && ordersCommitted != lastCheckedOrders);
        Instant now = Instant.now();
        if (quiet && changed && now.isAfter(lastFinishedAt.plus(QUIET_BETWEEN_CHECKS)) && now.isAfter(nextAutoRun)) {
            run(AUTO_SETTLE, false);
        }
    }

    /** Runs the verification now (the page's "verify" button). False if one is already running. */
    boolean runNow() {
        return run(ON_DEMAND_SETTLE, true);
    }

    private boolean run(Duration settle, boolean onDemand) {
        if (!checking.compareAndSet(false, true)) {
            return false;
        }
        changedSinceCheck = false;
        if (onDemand) {
            timeline.add(Timeline.Kind.CHECK, "verify started (settles up to " + settle.toSeconds() + " s)");
        }
        runner.execute(() -> {
            Instant began = Instant.now();
            try {
                Set<UUID> acked = acknowledged.get();
                VerificationReport report = verifier.get().verify(settle,
                        acked.isEmpty() ? Optional.empty() : Optional.of(acked), line -> { });
                last = report;
                lastError = null;
                lastCheckedAt = began;
                lastCheckedOrders = report.ordersCommitted();
                if (onDemand || !report.passed()) {
                    timeline.add(Timeline.Kind.CHECK, "verify " + (report.passed() ? "PASSED" : "FAILED") + ": "
                            + report.ordersCommitted() + " orders, lost " + lost(report) + ", double " + doubled(report)
                            + (report.failures().isEmpty() ? "" : " — " + String.join("; ", report.failures())));
                }
            } catch (RuntimeException e) {
                // E.g. a database restarting: try again, but not in a tight loop.
                changedSinceCheck = true;
                nextAutoRun = Instant.now().plus(AFTER_A_FAILED_RUN);
                lastError = e.getMessage();
                timeline.add(Timeline.Kind.CHECK, "verify could not run: " + e.getMessage());
            } finally {
                lastFinishedAt = Instant.now();
                checking.set(false);
            }
        });
        return true;
    }

    /**
     * Lost: outbox events that never reached the topic, plus committed orders without their right invoice once
     * settled. Double: effects applied twice (verify's "double effects").
     */
    static long lost(VerificationReport report) {
        return report.eventsLost() + report.missingInvoices();
    }

    static long doubled(VerificationReport report) {
        return report.doubleEffects();
    }

    LiveSnapshot.Invariant state(Long inFlight) {
        VerificationReport report = last;
        String inFlightText = "in flight " + (inFlight == null ? "n/a" : inFlight);
        String error = lastError == null ? "" : "last check could not run (" + lastError + ") · ";
        if (report == null) {
            return new LiveSnapshot.Invariant(inFlight, null, null, null, null, checking.get(),
                    (checking.get() ? "checking … · " : error.isEmpty() ? "not checked yet · " : error)
                            + inFlightText + " · lost n/a, double n/a");
        }
        String line = (checking.get() ? "checking … · " : error)
                + "checked " + CLOCK.format(lastCheckedAt) + " UTC, " + report.ordersCommitted() + " orders"
                + (report.passed() ? "" : " FAILED: " + String.join("; ", report.failures())) + " · " + inFlightText
                + " · lost " + lost(report) + ", double " + doubled(report);
        return new LiveSnapshot.Invariant(inFlight, lost(report), doubled(report), lastCheckedAt,
                report.ordersCommitted(), checking.get(), line);
    }

    Optional<String> lastReportText() {
        VerificationReport report = last;
        return report == null ? Optional.empty() : Optional.of(report.toText());
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
