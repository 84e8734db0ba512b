package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.OrderEvent;
import java.time.Instant;

/** A row of {@code parked_events}, its payload parsed again. */
public record ParkedEvent(OrderEvent event, long aggregateSequence, Instant parkedAt) {
}
