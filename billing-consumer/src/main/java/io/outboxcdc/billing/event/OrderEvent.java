package io.outboxcdc.billing.event;

import java.time.Instant;
import java.util.UUID;

/** A validated order event (schemaVersion 1). */
public sealed interface OrderEvent permits OrderCreated, OrderCancelled {

    UUID eventId();

    UUID orderId();

    Instant occurredAt();

    EventType type();
}
