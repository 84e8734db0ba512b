package io.outboxcdc.order.order;

public enum OrderStatus {
    CREATED,
    CANCELLED
}
