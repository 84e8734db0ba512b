package io.outboxcdc.billing.event;

import java.time.Instant;
import java.util.UUID;

public record OrderCancelled(UUID eventId, UUID orderId, Instant occurredAt) implements OrderEvent {

    @Override
    public EventType type() {
        return EventType.ORDER_CANCELLED;
    }
}
