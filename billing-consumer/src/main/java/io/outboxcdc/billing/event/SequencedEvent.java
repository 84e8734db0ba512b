package io.outboxcdc.billing.event;

import java.util.UUID;

/**
 * An event with its place in the order's history ({@code aggregateSequence} header) and the payload exactly
 * as received, which is what gets parked when the event arrives early.
 */
public record SequencedEvent(OrderEvent event, long aggregateSequence, String payload) {

    public UUID eventId() {
        return event.eventId();
    }

    public UUID orderId() {
        return event.orderId();
    }

    public EventType type() {
        return event.type();
    }
}
