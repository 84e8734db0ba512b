package io.outboxcdc.order.sales;

/** @param created false when an Idempotency-Key replay returned the order an earlier request created */
public record OrderCreation(OrderView order, boolean created) {
}
