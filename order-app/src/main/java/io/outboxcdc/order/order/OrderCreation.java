package io.outboxcdc.order.order;

/** @param created false when an Idempotency-Key replay returned the order an earlier request created */
public record OrderCreation(OrderView order, boolean created) {
}
