package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.OrderEvent;
import java.util.List;

/**
 * What one record did, once its transaction committed.
 *
 * @param applied the events whose effect was applied: the record's own event and any parked successors it
 *                released, in order; empty unless the outcome is {@link Outcome#APPLIED}
 */
public record ProcessingResult(Outcome outcome, List<OrderEvent> applied) {

    public enum Outcome { APPLIED, PARKED, DUPLICATE, STALE }

    public ProcessingResult {
        applied = List.copyOf(applied);
    }

    static ProcessingResult of(Outcome outcome) {
        return new ProcessingResult(outcome, List.of());
    }
}
