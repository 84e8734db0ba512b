package io.outboxcdc.order.order;

import java.util.List;

/** A page of orders, newest first; a shape of our own so that it does not change with Spring Data. */
public record OrderPage(List<OrderView> content, int page, int size, long totalElements, int totalPages) {
}
