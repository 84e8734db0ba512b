package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFingerprintTests {

    @Test
    void equalRequestsHashEquallyWhateverTheNumberSpelling() {
        assertThat(RequestFingerprint.of(request("c-1", "EUR", "A", 2, "24.9")))
                .isEqualTo(RequestFingerprint.of(request("c-1", "EUR", "A", 2, "24.90")))
                .hasSize(64)
                .matches("[0-9a-f]{64}");
    }

    @Test
    void everyValueChangesTheHash() {
        String base = RequestFingerprint.of(request("c-1", "EUR", "A", 2, "24.90"));

        assertThat(RequestFingerprint.of(request("c-2", "EUR", "A", 2, "24.90"))).isNotEqualTo(base);
        assertThat(RequestFingerprint.of(request("c-1", "USD", "A", 2, "24.90"))).isNotEqualTo(base);
        assertThat(RequestFingerprint.of(request("c-1", "EUR", "B", 2, "24.90"))).isNotEqualTo(base);
        assertThat(RequestFingerprint.of(request("c-1", "EUR", "A", 3, "24.90"))).isNotEqualTo(base);
        assertThat(RequestFingerprint.of(request("c-1", "EUR", "A", 2, "24.91"))).isNotEqualTo(base);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        assertThat(RequestFingerprint.of(request("c-1|3:EUR", "EUR", "A", 1, "1")))
                .isNotEqualTo(RequestFingerprint.of(request("c-1", "EUR", "A", 1, "1")));
    }

    private static CreateOrderRequest request(String customer, String currency, String sku, int quantity,
            String unitPrice) {
        return new CreateOrderRequest(customer, currency,
                List.of(new CreateOrderRequest.Item(sku, quantity, new BigDecimal(unitPrice))));
    }
}
