package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.SequencedEvent;
import io.outboxcdc.billing.inbox.RecordPosition;

/** A parsed record of a batch and where it came from. */
public record Arrival(SequencedEvent event, RecordPosition position) {
}
