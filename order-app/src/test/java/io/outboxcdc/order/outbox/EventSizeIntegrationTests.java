package io.outboxcdc.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import io.outboxcdc.order.web.ProblemTypes;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 12 point 3: order-app refuses a request whose event would exceed the topic's maximum message size, with
 * a problem and without committing anything, instead of leaving the relay an event Kafka refuses. The limit is
 * 8 KB in these tests (orders.outbox.max-event-size; 1 MiB by default).
 */
class EventSizeIntegrationTests extends OrderAppIntegrationTestSupport {

    @Autowired
    OutboxProperties properties;

    @Test
    void anOrderWhoseEventExceedsTheLimitIsA413ProblemAndWritesNothing() {
        Map<String, Long> before = rowCounts();
        String key = "too-large-" + UUID.randomUUID();

        HttpResponse<String> response = postJson("/orders", order(100, 64), "Idempotency-Key", key);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.get("type").asString()).isEqualTo(ProblemTypes.EVENT_TOO_LARGE.toString());
        assertThat(problem.get("detail").asString()).contains("OrderCreated", String.valueOf(8 * 1024));
        assertThat(rowCounts()).isEqualTo(before);
        // The key was not claimed either: a smaller order may use it.
        assertThat(postJson("/orders", order(1, 8), "Idempotency-Key", key).statusCode()).isEqualTo(201);
    }

    @Test
    void anOrderJustBelowTheLimitIsWrittenAndTheEstimateCoversWhatTheRelayPublishes() {
        HttpResponse<String> response = postJson("/orders", order(60, 40), "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = body(response).get("id").asString();
        Map<String, Object> row = jdbc.queryForMap("SELECT id::text AS id, payload::text AS jsonb_text, "
                + "octet_length(payload::text) AS value_bytes, headers->>'traceparent' AS traceparent "
                + "FROM outbox WHERE aggregate_id = ?", id);
        long valueBytes = ((Number) row.get("value_bytes")).longValue();
        // The Kafka value is PostgreSQL's jsonb text: the estimate adds exactly its spaces to the compact JSON.
        JsonMapper exact = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        String compact = exact.writeValueAsString(exact.readTree((String) row.get("jsonb_text")));
        assertThat(compact.length() + KafkaRecordSize.jsonbSpaces(compact)).isEqualTo(valueBytes);
        long estimate = KafkaRecordSize.upperBound(id, compact, Map.of("id", (String) row.get("id"),
                "eventType", "OrderCreated", "aggregateSequence", "1", "traceparent", (String) row.get("traceparent")));
        assertThat(estimate).isGreaterThan(valueBytes + id.length()).isLessThanOrEqualTo(8 * 1024);
    }

    /** {@code lines} items with SKUs of {@code skuLength} characters at the largest price. */
    private static String order(int lines, int skuLength) {
        String items = IntStream.range(0, lines).mapToObj(i -> "{\"sku\":\"" + String.format("%0" + skuLength + "d", i)
                + "\",\"quantity\":10000,\"unitPrice\":9999999999.99}").collect(Collectors.joining(","));
        return "{\"customerId\":\"" + uniqueCustomer("c-size") + "\",\"currency\":\"EUR\",\"items\":[" + items + "]}";
    }
}
