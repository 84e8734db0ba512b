package io.outboxcdc.order.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

// Issue 3: every client error is a problem+json with a stable type naming the field, never a 500, and writes
// nothing (not even the Idempotency-Key every request here carries).
class ClientErrorIntegrationTests extends OrderAppIntegrationTestSupport {

    private static final String ITEM = "{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":24.99}";

    static Stream<Arguments> badBodies() {
        return Stream.of(
                bad("malformed JSON", "{\"customerId\":", 400, ProblemTypes.MALFORMED_REQUEST, null),
                bad("trailing garbage", order("c-1", "EUR", ITEM) + " }", 400, ProblemTypes.MALFORMED_REQUEST, null),
                bad("empty body", "", 400, ProblemTypes.MALFORMED_REQUEST, null),
                bad("array instead of object", "[]", 400, ProblemTypes.MALFORMED_REQUEST, null),
                bad("missing customerId", "{\"currency\":\"EUR\",\"items\":[" + ITEM + "]}", 400,
                        ProblemTypes.VALIDATION_FAILED, "customerId"),
                bad("blank customerId", order("   ", "EUR", ITEM), 400, ProblemTypes.VALIDATION_FAILED, "customerId"),
                bad("customerId over 64 chars", order("c".repeat(65), "EUR", ITEM), 400,
                        ProblemTypes.VALIDATION_FAILED, "customerId"),
                bad("missing currency", "{\"customerId\":\"c-1\",\"items\":[" + ITEM + "]}", 400,
                        ProblemTypes.VALIDATION_FAILED, "currency"),
                bad("unknown ISO 4217 currency", order("c-1", "ABC", ITEM), 400, ProblemTypes.VALIDATION_FAILED,
                        "currency"),
                bad("lower-case currency", order("c-1", "eur", ITEM), 400, ProblemTypes.VALIDATION_FAILED, "currency"),
                // Issue 14: legal tender only; no currency with three minor digits; prices in the currency's units.
                bad("no currency (XXX)", order("c-1", "XXX", ITEM), 400, ProblemTypes.VALIDATION_FAILED, "currency"),
                bad("test code (XTS)", order("c-1", "XTS", ITEM), 400, ProblemTypes.VALIDATION_FAILED, "currency"),
                bad("gold (XAU)", order("c-1", "XAU", ITEM), 400, ProblemTypes.VALIDATION_FAILED, "currency"),
                bad("special drawing right (XDR)", order("c-1", "XDR", ITEM), 400, ProblemTypes.VALIDATION_FAILED,
                        "currency"),
                bad("bond market unit (XBA)", order("c-1", "XBA", ITEM), 400, ProblemTypes.VALIDATION_FAILED,
                        "currency"),
                bad("funds code (USN)", order("c-1", "USN", ITEM), 400, ProblemTypes.VALIDATION_FAILED, "currency"),
                bad("withdrawn currency (DEM)", order("c-1", "DEM", ITEM), 400, ProblemTypes.VALIDATION_FAILED,
                        "currency"),
                bad("three minor digits (KWD)", order("c-1", "KWD", "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}"),
                        400, ProblemTypes.VALIDATION_FAILED, "currency"),
                bad("fraction of a yen", order("c-1", "JPY", "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":2490.5}"),
                        400, ProblemTypes.VALIDATION_FAILED, "items[0].unitPrice"),
                bad("cents in yen, second line", order("c-1", "JPY",
                        "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":100},{\"sku\":\"B\",\"quantity\":1,\"unitPrice\":0.01}"),
                        400, ProblemTypes.VALIDATION_FAILED, "items[1].unitPrice"),
                bad("missing items", "{\"customerId\":\"c-1\",\"currency\":\"EUR\"}", 400,
                        ProblemTypes.VALIDATION_FAILED, "items"),
                bad("no items", order("c-1", "EUR", ""), 400, ProblemTypes.VALIDATION_FAILED, "items"),
                bad("null item", order("c-1", "EUR", "null"), 400, ProblemTypes.VALIDATION_FAILED, "items[0]"),
                bad("more than 100 items", order("c-1", "EUR",
                        IntStream.range(0, 101).mapToObj(i -> ITEM).collect(Collectors.joining(","))), 400,
                        ProblemTypes.VALIDATION_FAILED, "items"),
                bad("missing sku", order("c-1", "EUR", "{\"quantity\":1,\"unitPrice\":1}"), 400,
                        ProblemTypes.VALIDATION_FAILED, "items[0].sku"),
                bad("blank sku", order("c-1", "EUR", ITEM + ",{\"sku\":\" \",\"quantity\":1,\"unitPrice\":1}"), 400,
                        ProblemTypes.VALIDATION_FAILED, "items[1].sku"),
                bad("missing quantity", order("c-1", "EUR", "{\"sku\":\"A\",\"unitPrice\":1}"), 400,
                        ProblemTypes.VALIDATION_FAILED, "items[0].quantity"),
                bad("quantity 0", order("c-1", "EUR", "{\"sku\":\"A\",\"quantity\":0,\"unitPrice\":1}"), 400,
                        ProblemTypes.VALIDATION_FAILED, "items[0].quantity"),
                bad("quantity over 10 000", order("c-1", "EUR", "{\"sku\":\"A\",\"quantity\":10001,\"unitPrice\":1}"),
                        400, ProblemTypes.VALIDATION_FAILED, "items[0].quantity"),
                bad("fractional quantity", order("c-1", "EUR", "{\"sku\":\"A\",\"quantity\":2.5,\"unitPrice\":1}"),
                        400, ProblemTypes.VALIDATION_FAILED, "items[0].quantity"),
                bad("quantity as text", order("c-1", "EUR", "{\"sku\":\"A\",\"quantity\":\"two\",\"unitPrice\":1}"),
                        400, ProblemTypes.VALIDATION_FAILED, "items[0].quantity"),
                bad("missing unitPrice", order("c-1", "EUR", "{\"sku\":\"A\",\"quantity\":1}"), 400,
                        ProblemTypes.VALIDATION_FAILED, "items[0].unitPrice"),
                bad("negative unitPrice", order("c-1", "EUR", "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":-0.01}"),
                        400, ProblemTypes.VALIDATION_FAILED, "items[0].unitPrice"),
                bad("unitPrice with 3 decimals", order("c-1", "EUR",
                        "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1.234}"), 400, ProblemTypes.VALIDATION_FAILED,
                        "items[0].unitPrice"),
                bad("unitPrice too large for numeric(19,2)", order("c-1", "EUR",
                        "{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":12345678901.00}"), 400,
                        ProblemTypes.VALIDATION_FAILED, "items[0].unitPrice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadBodyIsAProblemNamingTheFieldAndWritesNothing(String name, String body, int status, URI type,
            String field) {
        Map<String, Long> before = rowCounts();

        HttpResponse<String> response = postJson("/orders", body, "Idempotency-Key", "bad-" + UUID.randomUUID());

        JsonNode problem = assertProblem(response, status, type);
        if (field != null) {
            assertThat(problem.get("errors")).extracting(e -> e.get("field").asString()).contains(field);
            assertThat(problem.get("detail").asString()).contains(field);
        }
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aWrongContentTypeIsA415ProblemAndWritesNothing() {
        Map<String, Long> before = rowCounts();

        HttpResponse<String> textPlain = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(orderJson("c-1")))
                .build());
        HttpResponse<String> none = send(HttpRequest.newBuilder(uri("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString(orderJson("c-1"))).build());

        assertProblem(textPlain, 415, ProblemTypes.UNSUPPORTED_MEDIA_TYPE);
        assertProblem(none, 415, ProblemTypes.UNSUPPORTED_MEDIA_TYPE);
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aBodyOver64KiBWithContentLengthIsA413ProblemAndWritesNothing() {
        Map<String, Long> before = rowCounts();

        HttpResponse<String> response = postJson("/orders", paddedOrder(64 * 1024 + 1));

        JsonNode problem = assertProblem(response, 413, ProblemTypes.PAYLOAD_TOO_LARGE);
        assertThat(problem.get("title").asString()).isEqualTo("Payload Too Large");
        assertThat(problem.get("detail").asString()).isEqualTo("The request body is larger than 65536 bytes");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyOver64KiBIsA413ProblemAndWritesNothing() {
        Map<String, Long> before = rowCounts();
        byte[] body = paddedOrder(100 * 1024).getBytes(StandardCharsets.UTF_8);

        // An InputStream publisher has no length: the client sends Transfer-Encoding: chunked.
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        JsonNode problem = assertProblem(response, 413, ProblemTypes.PAYLOAD_TOO_LARGE);
        assertThat(problem.get("title").asString()).isEqualTo("Payload Too Large");
        assertThat(problem.get("detail").asString()).isEqualTo("The request body is larger than 65536 bytes");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aBodyJustUnderTheLimitIsAccepted() {
        byte[] body = paddedOrder(64 * 1024).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> chunked = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertThat(body).hasSize(64 * 1024);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(201);
        assertThat(postJson("/orders", paddedOrder(64 * 1024)).statusCode()).isEqualTo(201);
    }

    @Test
    void anUnknownPathIsA404ProblemForEveryMethod() {
        Map<String, Long> before = rowCounts();

        assertProblem(get("/nope"), 404, ProblemTypes.RESOURCE_NOT_FOUND);
        assertProblem(postJson("/nope", orderJson("c-1")), 404, ProblemTypes.RESOURCE_NOT_FOUND);
        assertProblem(get("/orders/" + UUID.randomUUID() + "/items"), 404, ProblemTypes.RESOURCE_NOT_FOUND);
        // Boot's fallback error endpoint is replaced too.
        assertProblem(get("/error"), 404, ProblemTypes.RESOURCE_NOT_FOUND);
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aWrongMethodIsA405ProblemAndWritesNothing() {
        Map<String, Long> before = rowCounts();

        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/orders")).DELETE().build());
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/orders/" + UUID.randomUUID()))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(orderJson("c")))
                .build());
        HttpResponse<String> getCancel = get("/orders/" + UUID.randomUUID() + "/cancel");

        assertProblem(delete, 405, ProblemTypes.METHOD_NOT_ALLOWED);
        assertThat(delete.headers().firstValue("Allow")).isPresent();
        assertProblem(put, 405, ProblemTypes.METHOD_NOT_ALLOWED);
        assertProblem(getCancel, 405, ProblemTypes.METHOD_NOT_ALLOWED);
        assertThat(rowCounts()).isEqualTo(before);
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, URI type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.get("type").asString()).isEqualTo(type.toString());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
        return problem;
    }

    private static Arguments bad(String name, String body, int status, URI type, String field) {
        return Arguments.of(name, body, status, type, field);
    }

    private static String order(String customerId, String currency, String items) {
        return "{\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency + "\",\"items\":[" + items + "]}";
    }

    /** A valid order padded with whitespace to exactly {@code size} bytes. */
    private static String paddedOrder(int size) {
        String order = order(uniqueCustomer("c-size"), "EUR", ITEM);
        return order + " ".repeat(size - order.length());
    }
}
