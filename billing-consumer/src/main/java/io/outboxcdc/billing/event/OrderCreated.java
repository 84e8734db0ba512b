package io.outboxcdc.billing.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record OrderCreated(UUID eventId, UUID orderId, String customerId, String currency, BigDecimal total,
        List<Item> items, Instant occurredAt) implements OrderEvent {

    public OrderCreated {
        items = List.copyOf(items);
    }

    @Override
    public EventType type() {
        return EventType.ORDER_CREATED;
    }

    public record Item(String sku, int quantity, BigDecimal unitPrice) {
    }
}
