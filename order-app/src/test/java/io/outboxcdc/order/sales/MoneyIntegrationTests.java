package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

// Issue 14: amounts in responses and events carry the currency's fraction digits.
class MoneyIntegrationTests extends OrderAppIntegrationTestSupport {

    @Test
    void aYenOrderHasWholeYenEverywhere() {
        HttpResponse<String> created = postJson("/orders", order("JPY", "2490.00", "100"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"unitPrice\":2490}", "\"unitPrice\":100}", "\"total\":5080,");
        String id = body(created).get("id").asString();
        assertThat(get("/orders/" + id).body()).contains("\"unitPrice\":2490}", "\"total\":5080,");
        String payload = jdbc.queryForObject("SELECT payload::text FROM outbox WHERE aggregate_id = ?", String.class,
                id);
        JsonNode event = json.readTree(payload);
        assertThat(event.get("total").toString()).isEqualTo("5080");
        assertThat(event.get("items").get(0).get("unitPrice").toString()).isEqualTo("2490");
    }

    @Test
    void aEuroOrderHasCents() {
        HttpResponse<String> created = postJson("/orders", order("EUR", "24.9", "0.990"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"unitPrice\":24.90}", "\"unitPrice\":0.99}", "\"total\":50.79,");
    }

    @Test
    void legalTenderWithAnXCodeIsAccepted() {
        assertThat(postJson("/orders", order("XOF", "500", "1000")).statusCode()).isEqualTo(201);
        assertThat(postJson("/orders", order("XCD", "5.25", "1")).statusCode()).isEqualTo(201);
    }

    /** Two of the first item, one of the second. */
    private static String order(String currency, String firstPrice, String secondPrice) {
        return """
                {"customerId":"%s","currency":"%s","items":[{"sku":"A","quantity":2,"unitPrice":%s},
                {"sku":"B","quantity":1,"unitPrice":%s}]}""".formatted(uniqueCustomer("c-money"), currency, firstPrice,
                secondPrice);
    }
}
