package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import io.outboxcdc.order.web.ProblemTypes;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

// Issue 3: the REST contract end to end, against the real database.
class OrderApiIntegrationTests extends OrderAppIntegrationTestSupport {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void createReturns201WithTheOrderAndWritesTheOrderAndOneOutboxRowInOneGo() {
        String customer = uniqueCustomer("c-create");
        Instant before = Instant.now().minusSeconds(1);

        HttpResponse<String> response = postJson("/orders", """
                {"customerId":"%s","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":24.99},
                 {"sku":"PEN-7","quantity":1,"unitPrice":3.5}]}""".formatted(customer));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonNode order = body(response);
        UUID id = UUID.fromString(order.get("id").asString());
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + id);
        assertThat(order.get("customerId").asString()).isEqualTo(customer);
        assertThat(order.get("currency").asString()).isEqualTo("EUR");
        assertThat(order.get("status").asString()).isEqualTo("CREATED");
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("53.48");
        assertThat(response.body()).contains("\"total\":53.48").contains("\"unitPrice\":3.50");
        assertThat(order.get("items")).hasSize(2);
        Instant createdAt = Instant.parse(order.get("createdAt").asString());
        assertThat(order.get("createdAt").asString()).endsWith("Z");
        assertThat(createdAt).isAfter(before);

        assertThat(count("SELECT count(*) FROM orders WHERE id = ? AND status = 'CREATED' AND total = 53.48 "
                + "AND event_sequence = 1", id)).isOne();
        assertThat(jdbc.queryForList("SELECT line_no, sku, quantity, unit_price FROM order_items WHERE order_id = ? "
                + "ORDER BY line_no", id)).extracting(r -> r.get("line_no") + ":" + r.get("sku") + ":"
                        + r.get("quantity") + ":" + r.get("unit_price"))
                .containsExactly("1:BOOK-1:2:24.99", "2:PEN-7:1:3.50");
        Map<String, Object> outbox = jdbc.queryForMap("SELECT * FROM outbox WHERE aggregate_id = ?", id.toString());
        assertThat(outbox).containsEntry("aggregate_type", "order").containsEntry("aggregate_sequence", 1L)
                .containsEntry("type", "OrderCreated");
        JsonNode payload = json.readTree(outbox.get("payload").toString());
        assertThat(payload.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(payload.get("eventId").asString()).isEqualTo(outbox.get("id").toString());
        assertThat(payload.get("orderId").asString()).isEqualTo(id.toString());
        assertThat(payload.get("total").decimalValue()).isEqualByComparingTo("53.48");
        assertThat(Instant.parse(payload.get("occurredAt").asString())).isEqualTo(createdAt);
        assertThat(json.readTree(outbox.get("headers").toString()).isEmpty()).isTrue();
    }

    @Test
    void theRequestTraceparentIsStoredWithTheEventForBothCreateAndCancel() {
        HttpResponse<String> created = postJson("/orders", orderJson(uniqueCustomer("c-trace")),
                "traceparent", TRACEPARENT);
        String id = body(created).get("id").asString();
        send(HttpRequest.newBuilder(uri("/orders/" + id + "/cancel")).header("traceparent", TRACEPARENT)
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(jdbc.queryForList("SELECT headers->>'traceparent' FROM outbox WHERE aggregate_id = ?",
                String.class, id)).containsExactly(TRACEPARENT, TRACEPARENT);
    }

    @Test
    void anInvalidTraceparentIsNotForwarded() {
        HttpResponse<String> created = postJson("/orders", orderJson(uniqueCustomer("c-trace")),
                "traceparent", "not-a-trace");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT headers::text FROM outbox WHERE aggregate_id = ?", String.class,
                body(created).get("id").asString())).isEqualTo("{}");
    }

    @Test
    void getReturnsTheOrderAndAnUnknownIdIsA404Problem() {
        String id = body(postJson("/orders", orderJson(uniqueCustomer("c-get")))).get("id").asString();

        HttpResponse<String> found = get("/orders/" + id);
        HttpResponse<String> missing = get("/orders/" + UUID.randomUUID());

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(body(found).get("id").asString()).isEqualTo(id);
        assertThat(body(found).get("items").get(0).get("sku").asString()).isEqualTo("BOOK-1");
        assertProblem(missing, 404, ProblemTypes.ORDER_NOT_FOUND.toString());
    }

    @Test
    void aCustomersOrdersArePagedNewestFirst() {
        String customer = uniqueCustomer("c-page");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(body(postJson("/orders", orderJson(customer))).get("id").asString());
        }
        postJson("/orders", orderJson(uniqueCustomer("c-other")));

        JsonNode first = body(get("/orders?customerId=" + customer + "&page=0&size=2"));
        JsonNode second = body(get("/orders?customerId=" + customer + "&page=1&size=2"));

        assertThat(first.get("content")).extracting(n -> n.get("id").asString())
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(second.get("content")).extracting(n -> n.get("id").asString()).containsExactly(ids.get(0));
        assertThat(first.get("page").asInt()).isZero();
        assertThat(first.get("size").asInt()).isEqualTo(2);
        assertThat(first.get("totalElements").asLong()).isEqualTo(3);
        assertThat(first.get("totalPages").asInt()).isEqualTo(2);
        JsonNode defaults = body(get("/orders?customerId=" + customer));
        assertThat(defaults.get("size").asInt()).isEqualTo(20);
        assertThat(defaults.get("content")).hasSize(3);
    }

    @Test
    void invalidPagingParametersAre400ProblemsNamingTheParameter() {
        assertValidationProblem(get("/orders?customerId=c&size=0"), "size");
        assertValidationProblem(get("/orders?customerId=c&size=101"), "size");
        assertValidationProblem(get("/orders?customerId=c&page=-1"), "page");
        assertValidationProblem(get("/orders?customerId=c&page=abc"), "page");
        assertValidationProblem(get("/orders?page=0"), "customerId");
        assertValidationProblem(get("/orders/not-a-uuid"), "id");
    }

    @Test
    void cancelWritesOneEventWithSequence2AndASecondCancelWritesNothing() {
        String id = body(postJson("/orders", orderJson(uniqueCustomer("c-cancel")))).get("id").asString();

        HttpResponse<String> first = cancel(id);
        Map<String, Long> afterFirst = rowCounts();
        HttpResponse<String> second = cancel(id);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(body(first).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(body(second).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(body(second).get("id").asString()).isEqualTo(id);
        assertThat(rowCounts()).isEqualTo(afterFirst);
        assertThat(jdbc.queryForList("SELECT aggregate_sequence || ':' || type FROM outbox WHERE aggregate_id = ? "
                + "ORDER BY aggregate_sequence", String.class, id))
                .containsExactly("1:OrderCreated", "2:OrderCancelled");
        assertThat(count("SELECT count(*) FROM orders WHERE id = ?::uuid AND status = 'CANCELLED' "
                + "AND event_sequence = 2", id)).isOne();
        assertThat(body(get("/orders/" + id)).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void cancellingAnUnknownOrderIsA404ProblemAndWritesNothing() {
        Map<String, Long> before = rowCounts();

        assertProblem(cancel(UUID.randomUUID().toString()), 404, ProblemTypes.ORDER_NOT_FOUND.toString());
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aRepeatWithTheSameIdempotencyKeyAndBodyReturnsTheOriginalOrderAndWritesNothing() {
        String key = "key-" + UUID.randomUUID();
        String customer = uniqueCustomer("c-idem");
        HttpResponse<String> first = postJson("/orders", orderJson(customer), "Idempotency-Key", key);
        Map<String, Long> afterFirst = rowCounts();

        // Same order, spelled differently: the canonical request is what counts.
        HttpResponse<String> repeat = postJson("/orders", """
                { "items": [ {"unitPrice": 24.99, "quantity": 2, "sku": "BOOK-1"} ],
                  "currency": "EUR", "customerId": "%s" }""".formatted(customer), "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(body(repeat).get("id").asString()).isEqualTo(body(first).get("id").asString());
        assertThat(body(repeat).get("createdAt")).isEqualTo(body(first).get("createdAt"));
        assertThat(repeat.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(rowCounts()).isEqualTo(afterFirst);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ? AND order_id = ?::uuid",
                key, body(first).get("id").asString())).isOne();
    }

    @Test
    void theSameIdempotencyKeyWithADifferentBodyIsA422ProblemAndWritesNothing() {
        String key = "key-" + UUID.randomUUID();
        postJson("/orders", orderJson(uniqueCustomer("c-idem")), "Idempotency-Key", key);
        Map<String, Long> before = rowCounts();

        HttpResponse<String> reused = postJson("/orders", orderJson(uniqueCustomer("c-idem")), "Idempotency-Key", key);

        assertProblem(reused, 422, ProblemTypes.IDEMPOTENCY_KEY_REUSED.toString());
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void anInvalidIdempotencyKeyIsA400ProblemNamingTheHeaderAndWritesNothing() {
        Map<String, Long> before = rowCounts();

        assertValidationProblem(postJson("/orders", orderJson("c-1"), "Idempotency-Key", "k".repeat(129)),
                "Idempotency-Key");
        assertValidationProblem(postJson("/orders", orderJson("c-1"), "Idempotency-Key", "bad\tkey"),
                "Idempotency-Key");
        assertThat(rowCounts()).isEqualTo(before);
        assertThat(postJson("/orders", orderJson(uniqueCustomer("c-1")), "Idempotency-Key",
                "k".repeat(128)).statusCode()).isEqualTo(201);
    }

    @Test
    void healthIsUpAndPrometheusShowsTheOrderCountersAndRequestLatency() {
        postJson("/orders", orderJson(uniqueCustomer("c-metrics")));

        HttpResponse<String> health = get("/actuator/health");
        HttpResponse<String> prometheus = get("/actuator/prometheus");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(body(health).get("status").asString()).isEqualTo("UP");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        // "orders.placed", not "orders.created": OpenMetrics reserves the _created suffix and would export orders_total.
        assertThat(prometheus.body()).contains("# TYPE orders_placed_total counter", "# TYPE orders_cancelled_total counter",
                "http_server_requests_seconds_count{");
        assertThat(metric(prometheus.body(), "orders_placed_total")).isPositive();
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreServed() {
        HttpResponse<String> apiDocs = get("/v3/api-docs");
        HttpResponse<String> swaggerUi = get("/swagger-ui/index.html");

        assertThat(apiDocs.statusCode()).isEqualTo(200);
        assertThat(body(apiDocs).get("paths").has("/orders")).isTrue();
        assertThat(body(apiDocs).get("paths").has("/orders/{id}/cancel")).isTrue();
        assertThat(swaggerUi.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> cancel(String id) {
        return send(HttpRequest.newBuilder(uri("/orders/" + id + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private void assertValidationProblem(HttpResponse<String> response, String field) {
        assertProblem(response, 400, ProblemTypes.VALIDATION_FAILED.toString());
        assertThat(body(response).get("errors")).extracting(e -> e.get("field").asString()).contains(field);
    }

    private void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.get("type").asString()).isEqualTo(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    private static BigDecimal metric(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .map(l -> new BigDecimal(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(BigDecimal.ZERO);
    }
}
