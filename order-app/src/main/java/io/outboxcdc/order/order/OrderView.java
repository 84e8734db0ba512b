package io.outboxcdc.order.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON representation of an order. */
public record OrderView(UUID id, String customerId, String currency, OrderStatus status, List<Item> items,
        BigDecimal total, Instant createdAt) {

    public record Item(String sku, int quantity, BigDecimal unitPrice) {
    }

    static OrderView of(Order order) {
        return new OrderView(order.id(), order.customerId(), order.currency(), order.status(),
                order.lines().stream().map(l -> new Item(l.sku(), l.quantity(), l.unitPrice())).toList(),
                order.total(), order.createdAt());
    }
}
