package io.outboxcdc.order.sales;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON representation of an order; amounts carry the currency's fraction digits (JPY 2490, EUR 24.90). */
@Schema(name = "Order", requiredProperties = {"id", "customerId", "currency", "status", "items", "total",
    "createdAt"})
public record OrderView(
        @Schema(example = "55808954-7e36-42b2-b297-5b4b75199837") UUID id,
        @Schema(example = "c-42") String customerId,
        @Schema(example = "EUR", pattern = "^[A-Z]{3}$") String currency,
        OrderStatus status,
        @ArraySchema(minItems = 1) List<Item> items,
        @Schema(description = "Sum of quantity x unitPrice", example = "49.98", minimum = "0") BigDecimal total,
        @Schema(description = "UTC", example = "2026-11-29T16:15:22.872242Z") Instant createdAt) {

    @Schema(name = "OrderLine", requiredProperties = {"sku", "quantity", "unitPrice"})
    public record Item(
            @Schema(example = "BOOK-1") String sku,
            @Schema(example = "2", minimum = "1") int quantity,
            @Schema(example = "24.99", minimum = "0") BigDecimal unitPrice) {
    }

    static OrderView of(Order order) {
        return new OrderView(order.id(), order.customerId(), order.currency(), order.status(),
                order.lines().stream().map(l -> new Item(l.sku(), l.quantity(),
                        Money.inCurrency(l.unitPrice(), order.currency()))).toList(),
                Money.inCurrency(order.total(), order.currency()), order.createdAt());
    }
}
