package io.outboxcdc.order.sales;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A page of orders, newest first; a shape of our own so that it does not change with Spring Data. */
@Schema(requiredProperties = {"content", "page", "size", "totalElements", "totalPages"})
public record OrderPage(List<OrderView> content,
        @Schema(minimum = "0", example = "0") int page,
        @Schema(minimum = "1", maximum = "100", example = "20") int size,
        @Schema(minimum = "0", example = "1") long totalElements,
        @Schema(minimum = "0", example = "1") int totalPages) {
}
