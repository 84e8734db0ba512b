package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.OrderEvent;
import java.util.List;

/**
 * What one batch did, once its transaction committed.
 *
 * @param records records in the batch
 * @param duplicates records whose event id was in the inbox already, or earlier in the same batch
 * @param applied events whose effect was applied, in order within each order (parked ones released included)
 * @param parkedArrivals events that arrived before a predecessor
 * @param stale new event ids for an already applied (or already parked) sequence: ignored
 * @param invoicesChanged effects that changed an invoice (one {@code invoice_effects} row each)
 */
public record BatchResult(int records, int duplicates, List<OrderEvent> applied, int parkedArrivals, int stale,
        int invoicesChanged) {

    public BatchResult {
        applied = List.copyOf(applied);
    }

    /** Whether the batch wrote anything new (not only duplicates). */
    public boolean hadNewEvents() {
        return duplicates < records;
    }
}
