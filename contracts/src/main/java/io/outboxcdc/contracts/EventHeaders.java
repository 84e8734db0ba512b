package io.outboxcdc.contracts;

import java.util.List;

/**
 * The headers of a record on an event topic, UTF-8 strings (contracts/README.md). outbox-relay publishes exactly
 * these and no others; order-app writes them into {@code outbox.headers}; billing-consumer, the verifier and the
 * benchmarks read them.
 */
public final class EventHeaders {

    /** The event id (a UUID, {@code outbox.id}); consumers deduplicate by it. */
    public static final String ID = "id";
    /** {@code OrderCreated} or {@code OrderCancelled} ({@code outbox.type}): names the schema of the value. */
    public static final String EVENT_TYPE = "eventType";
    /** 1, 2, … per order ({@code outbox.aggregate_sequence}, decimal); a gap means an event is missing. */
    public static final String AGGREGATE_SEQUENCE = "aggregateSequence";
    /** W3C trace context of the request that wrote the event; only when present. */
    public static final String TRACEPARENT = "traceparent";

    /** Every header of the contract, in this order. */
    public static final List<String> ALL = List.of(ID, EVENT_TYPE, AGGREGATE_SEQUENCE, TRACEPARENT);

    private EventHeaders() {
    }
}
