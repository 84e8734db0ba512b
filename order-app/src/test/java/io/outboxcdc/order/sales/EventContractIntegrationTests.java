package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

// Issue 3: what the app writes to the outbox validates against the published contracts/ schemas.
class EventContractIntegrationTests extends OrderAppIntegrationTestSupport {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @Test
    void writtenPayloadsValidateAgainstTheirSchemas() {
        String id = body(postJson("/orders", """
                {"customerId":"c-42","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":24.99},
                 {"sku":"FREE-1","quantity":10000,"unitPrice":0}]}""")).get("id").asString();
        send(HttpRequest.newBuilder(uri("/orders/" + id + "/cancel")).POST(HttpRequest.BodyPublishers.noBody())
                .build());

        JsonNode created = payload(id, "OrderCreated");
        JsonNode cancelled = payload(id, "OrderCancelled");

        assertThat(errors("order-created.v1.schema.json", created)).isEmpty();
        assertThat(errors("order-cancelled.v1.schema.json", cancelled)).isEmpty();
        // Amounts keep two fraction digits all the way into the Kafka value.
        assertThat(payloadText(id, "OrderCreated")).contains("\"total\": 49.98", "\"unitPrice\": 0.00");
    }

    @Test
    void aCurrencyWithoutMinorUnitHasWholeAmountsAndTheSchemaInsistsOnIt() {
        String id = body(postJson("/orders", """
                {"customerId":"c-42","currency":"JPY","items":[{"sku":"TEA-7","quantity":3,"unitPrice":1200}]}"""))
                .get("id").asString();
        ObjectNode created = (ObjectNode) payload(id, "OrderCreated");

        assertThat(errors("order-created.v1.schema.json", created)).isEmpty();
        assertThat(payloadText(id, "OrderCreated")).contains("\"total\": 3600,", "\"unitPrice\": 1200}");
        assertThat(errors("order-created.v1.schema.json", created.deepCopy().put("total", 3600.5))).isNotEmpty();
        assertThat(errors("order-created.v1.schema.json", created.deepCopy().put("currency", "XXX"))).isNotEmpty();
        assertThat(errors("order-created.v1.schema.json", created.deepCopy().put("currency", "KWD"))).isNotEmpty();
        assertThat(errors("order-created.v1.schema.json", created.deepCopy().put("currency", "EUR")
                .put("total", 36.001))).isNotEmpty();
    }

    @Test
    void theSchemasRejectPayloadsThatBreakTheContract() {
        String id = body(postJson("/orders", orderJson("c-42"))).get("id").asString();
        ObjectNode created = (ObjectNode) payload(id, "OrderCreated");

        assertThat(errors("order-created.v1.schema.json", created.deepCopy().put("schemaVersion", 2))).isNotEmpty();
        assertThat(errors("order-created.v1.schema.json", withoutField(created, "orderId"))).isNotEmpty();
        assertThat(errors("order-created.v1.schema.json", created.deepCopy().put("currency", "euro"))).isNotEmpty();
        assertThat(errors("order-cancelled.v1.schema.json", created)).isNotEmpty();
    }

    private JsonNode payload(String orderId, String type) {
        return json.readTree(payloadText(orderId, type));
    }

    private String payloadText(String orderId, String type) {
        return jdbc.queryForObject("SELECT payload::text FROM outbox WHERE aggregate_id = ? AND type = ?",
                String.class, orderId, type);
    }

    private static ObjectNode withoutField(ObjectNode node, String field) {
        ObjectNode copy = node.deepCopy();
        copy.remove(field);
        return copy;
    }

    private static List<Error> errors(String schemaFile, JsonNode payload) {
        try (InputStream in = EventContractIntegrationTests.class.getResourceAsStream("/contracts/" + schemaFile)) {
            assertThat(in).as("contracts/" + schemaFile + " on the test classpath").isNotNull();
            Schema schema = SCHEMAS.getSchema(in);
            return schema.validate(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
