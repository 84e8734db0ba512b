package io.outboxcdc.order.order;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * Body of {@code POST /orders}. The bounds keep every order inside the {@code numeric(19,2)} columns: at most
 * 100 lines x 10 000 units x 9 999 999 999.99 stays below 10^17.
 */
public record CreateOrderRequest(
        @NotBlank @Size(max = 64) String customerId,
        @NotBlank @IsoCurrency String currency,
        @NotEmpty @Size(max = MAX_ITEMS) List<@NotNull @Valid Item> items) {

    public static final int MAX_ITEMS = 100;

    public record Item(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Min(1) @Max(10_000) Integer quantity,
            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal unitPrice) {
    }
}
