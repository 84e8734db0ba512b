package io.outboxcdc.order.sales;

import io.outboxcdc.order.outbox.OutboxMessage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The event payloads order-app publishes (the Kafka record value, as is). Versioned: a breaking change gets a
 * new schemaVersion and a new schema in contracts/, it never changes these records in place.
 */
final class OrderEvents {

    static final String AGGREGATE_TYPE = "order";
    static final String ORDER_CREATED = "OrderCreated";
    static final String ORDER_CANCELLED = "OrderCancelled";

    private OrderEvents() {
    }

    /** contracts/order-created.v1.schema.json */
    record OrderCreatedV1(int schemaVersion, UUID eventId, UUID orderId, String customerId, String currency,
            BigDecimal total, List<Item> items, Instant occurredAt) {
    }

    record Item(String sku, int quantity, BigDecimal unitPrice) {
    }

    /** contracts/order-cancelled.v1.schema.json */
    record OrderCancelledV1(int schemaVersion, UUID eventId, UUID orderId, Instant occurredAt) {
    }

    static OutboxMessage created(Order order, String traceparent) {
        UUID eventId = UUID.randomUUID();
        String currency = order.currency();
        OrderCreatedV1 payload = new OrderCreatedV1(1, eventId, order.id(), order.customerId(), currency,
                Money.inCurrency(order.total(), currency), order.lines().stream().map(l -> new Item(l.sku(),
                        l.quantity(), Money.inCurrency(l.unitPrice(), currency))).toList(),
                order.createdAt());
        return new OutboxMessage(eventId, AGGREGATE_TYPE, order.id().toString(), order.eventSequence(), ORDER_CREATED,
                payload, order.createdAt(), traceparent);
    }

    static OutboxMessage cancelled(Order order, String traceparent) {
        UUID eventId = UUID.randomUUID();
        OrderCancelledV1 payload = new OrderCancelledV1(1, eventId, order.id(), order.updatedAt());
        return new OutboxMessage(eventId, AGGREGATE_TYPE, order.id().toString(), order.eventSequence(),
                ORDER_CANCELLED, payload, order.updatedAt(), traceparent);
    }
}
