package io.outboxcdc.order.sales;

public enum OrderStatus {
    CREATED,
    CANCELLED
}
