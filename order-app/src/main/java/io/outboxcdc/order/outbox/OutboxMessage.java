package io.outboxcdc.order.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish: becomes one {@code outbox} row.
 *
 * @param payload serialised as JSON into {@code outbox.payload}; the Kafka value later
 * @param traceparent the request's W3C traceparent, or null
 */
public record OutboxMessage(UUID eventId, String aggregateType, String aggregateId, long aggregateSequence,
        String type, Object payload, Instant occurredAt, String traceparent) {

    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (aggregateSequence < 1) {
            throw new IllegalArgumentException("aggregateSequence starts at 1");
        }
    }
}
