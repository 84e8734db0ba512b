package io.outboxcdc.order.sales;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
 * 100 lines x 10 000 units x 9 999 999 999.99 stays below 10^17. A unit price has at most as many fraction
 * digits as the currency ({@link PricesFitCurrency}); the currency is legal tender with at most two
 * ({@link LegalTender}). The {@code @Schema} annotations repeat the rules for the OpenAPI document.
 */
@PricesFitCurrency
@Schema(requiredProperties = {"customerId", "currency", "items"})
public record CreateOrderRequest(
        @Schema(description = "Who orders; not blank", example = "c-42", minLength = 1, maxLength = 64,
                pattern = "\\S")
        @NotBlank @Size(min = 1, max = 64) String customerId,
        @Schema(description = "ISO 4217 code of a currency that is legal tender, with at most 2 minor digits: no "
                + "X-codes without a country (XXX, XTS, XAU, XAG, XPT, XPD, XDR, XSU, XUA, XBA-XBD), no funds codes, "
                + "no withdrawn currencies, and not BHD, IQD, JOD, KWD, LYD, OMR or TND (3 minor digits; amounts "
                + "are kept with 2)", example = "EUR", pattern = "^[A-Z]{3}$")
        @NotBlank @LegalTender String currency,
        @ArraySchema(minItems = 1, maxItems = MAX_ITEMS, schema = @Schema(implementation = Item.class))
        @NotEmpty @Size(min = 1, max = MAX_ITEMS) List<@NotNull @Valid Item> items) {

    public static final int MAX_ITEMS = 100;

    @Schema(name = "OrderLineRequest", requiredProperties = {"sku", "quantity", "unitPrice"})
    public record Item(
            @Schema(example = "BOOK-1", minLength = 1, maxLength = 64, pattern = "\\S")
            @NotBlank @Size(min = 1, max = 64) String sku,
            @Schema(type = "integer", format = "int32", example = "2", minimum = "1", maximum = "10000")
            @NotNull @Min(1) @Max(10_000) Integer quantity,
            @Schema(description = "Price of one unit, a JSON number with at most as many fraction digits as the "
                    + "currency has (0 for JPY, 2 for EUR; more is a 400 naming items[i].unitPrice)",
                    example = "24.99", minimum = "0", maximum = "9999999999.99", multipleOf = 0.01)
            @NotNull @DecimalMin("0.00") @DecimalMax("9999999999.99") BigDecimal unitPrice) {
    }
}
