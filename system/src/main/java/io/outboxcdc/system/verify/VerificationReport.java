package io.outboxcdc.system.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one verification: counts, the invariants, and examples of what broke them. {@code passed}
 * is true only when {@link #failures()} is empty: every committed order has its right invoice and exactly its
 * final effects in billing's ledger (one ISSUED, one VOIDED after it if cancelled, amounts equal to the order's),
 * nothing was applied twice, no invoice or effect lacks an order, no event is lost, no order has a sequence gap
 * and every acknowledged order is committed.
 */
public record VerificationReport(
        long ordersCommitted,
        long ordersCancelled,
        long outboxEvents,
        long expectedEvents,
        long topicRecords,
        long topicDuplicateRecords,
        long eventsLost,
        long eventsProcessed,
        Long duplicatesSuppressed,
        long parked,
        long deadLettered,
        long invoicesIssued,
        long invoicesVoided,
        long ledgerEffects,
        long missingInvoices,
        long missingEffects,
        long doubleEffects,
        long effectsOutOfOrder,
        long effectAmountMismatches,
        long unexpectedVoids,
        long orphanInvoices,
        long orphanEffects,
        long sequenceGaps,
        long acknowledgedButNotCommitted,
        Percentiles endToEndDelayMs,
        double settledAfterSeconds,
        boolean settled,
        List<String> examples,
        boolean passed) {

    public record Percentiles(long count, long p50, long p99, long max) {
    }

    public List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (missingInvoices > 0) {
            failures.add(missingInvoices + " committed orders without the right invoice");
        }
        if (missingEffects > 0) {
            failures.add(missingEffects + " committed orders without their final effects in the ledger "
                    + "(ISSUED, and VOIDED if cancelled)");
        }
        if (doubleEffects > 0) {
            failures.add(doubleEffects + " double effects (an order issued or voided more than once)");
        }
        if (effectsOutOfOrder > 0) {
            failures.add(effectsOutOfOrder + " orders with effects out of order (voided before issued, or re-issued)");
        }
        if (effectAmountMismatches > 0) {
            failures.add(effectAmountMismatches + " orders with an effect amount that differs from the order total");
        }
        if (unexpectedVoids > 0) {
            failures.add(unexpectedVoids + " orders voided but not cancelled");
        }
        if (orphanInvoices > 0) {
            failures.add(orphanInvoices + " orphan invoices (no committed order)");
        }
        if (orphanEffects > 0) {
            failures.add(orphanEffects + " orphan ledger effects (orders never committed)");
        }
        if (eventsLost > 0) {
            failures.add(eventsLost + " outbox events never reached the topic");
        }
        if (sequenceGaps > 0) {
            failures.add(sequenceGaps + " orders with a sequence gap");
        }
        if (acknowledgedButNotCommitted > 0) {
            failures.add(acknowledgedButNotCommitted + " acknowledged orders not committed");
        }
        return failures;
    }

    public String toText() {
        String dup = duplicatesSuppressed == null ? "n/a (billing metrics not reachable)" : duplicatesSuppressed.toString();
        StringBuilder text = new StringBuilder();
        text.append("Verification ").append(passed ? "PASSED" : "FAILED").append('\n');
        line(text, "orders committed", ordersCommitted + " (" + ordersCancelled + " cancelled)");
        line(text, "outbox events", outboxEvents + " (expected from orders: " + expectedEvents + ")");
        line(text, "records on the topic", topicRecords + " (" + topicDuplicateRecords + " duplicates of an event id)");
        line(text, "events lost", String.valueOf(eventsLost));
        line(text, "events processed", String.valueOf(eventsProcessed));
        line(text, "duplicates suppressed", dup);
        line(text, "parked", String.valueOf(parked));
        line(text, "dead-lettered", String.valueOf(deadLettered));
        line(text, "invoices", issuedVoided());
        line(text, "ledger effects", String.valueOf(ledgerEffects));
        line(text, "missing invoices", String.valueOf(missingInvoices));
        line(text, "missing ledger effects", String.valueOf(missingEffects));
        line(text, "double effects", String.valueOf(doubleEffects));
        line(text, "effects out of order", String.valueOf(effectsOutOfOrder));
        line(text, "effect amount mismatches", String.valueOf(effectAmountMismatches));
        line(text, "voided, not cancelled", String.valueOf(unexpectedVoids));
        line(text, "orphan invoices", String.valueOf(orphanInvoices));
        line(text, "orphan ledger effects", String.valueOf(orphanEffects));
        line(text, "per-order sequence gaps", String.valueOf(sequenceGaps));
        line(text, "acknowledged, not committed", String.valueOf(acknowledgedButNotCommitted));
        line(text, "order commit -> invoice", String.format("p50 %d ms, p99 %d ms, max %d ms (%d invoices)",
                endToEndDelayMs.p50(), endToEndDelayMs.p99(), endToEndDelayMs.max(), endToEndDelayMs.count()));
        line(text, "settled", settled ? String.format("after %.1f s", settledAfterSeconds)
                : String.format("NO (gave up after %.1f s)", settledAfterSeconds));
        for (String failure : failures()) {
            text.append("  FAIL: ").append(failure).append('\n');
        }
        for (String example : examples) {
            text.append("  e.g. ").append(example).append('\n');
        }
        return text.toString();
    }

    private String issuedVoided() {
        return invoicesIssued + " ISSUED, " + invoicesVoided + " VOIDED";
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format("  %-30s %s%n", label, value));
    }
}
