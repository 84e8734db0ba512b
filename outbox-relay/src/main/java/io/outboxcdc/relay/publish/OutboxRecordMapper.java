package io.outboxcdc.relay.publish;

import io.outboxcdc.contracts.EventHeaders;
import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.engine.DebeziumProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a record that the Outbox Event Router has routed into the Kafka record of the event contract
 * (contracts/README.md): key = aggregate id, value = payload JSON as is, and exactly the string headers
 * {@code id}, {@code eventType}, {@code aggregateSequence}, plus {@code traceparent} when the row's
 * {@code headers} jsonb has one. Anything else (Debezium's own headers, other jsonb entries) is not published.
 */
public class OutboxRecordMapper {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Headers the router writes from the row ({@code id} the router adds itself), published as they are. */
    static final Set<String> ROUTED_HEADERS = Set.of(EventHeaders.ID, EventHeaders.EVENT_TYPE,
            EventHeaders.AGGREGATE_SEQUENCE);
    /** Entries of the row's headers jsonb that the contract publishes. */
    static final Set<String> CONTRACT_JSON_HEADERS = Set.of(EventHeaders.TRACEPARENT);

    private final RelayProperties properties;

    public OutboxRecordMapper(RelayProperties properties) {
        this.properties = properties;
    }

    public OutboxEvent map(SourceRecord routed) {
        String eventId = headerString(routed, "id");
        if (eventId == null) {
            throw new UnpublishableRecordException("<unknown>", "record on topic " + routed.topic()
                    + " was not routed by the outbox event router (no id header)", null);
        }
        if (!(routed.key() instanceof String key)) {
            throw new UnpublishableRecordException(eventId, "key is not a string: " + describe(routed.key()), null);
        }
        Object value = routed.value();
        if (value != null && !(value instanceof String)) {
            throw new UnpublishableRecordException(eventId, "payload is not a JSON string: " + describe(value), null);
        }
        RecordHeaders headers = new RecordHeaders();
        Instant createdAt = null;
        for (Header header : routed.headers()) {
            String name = header.key();
            if (DebeziumProperties.OUTBOX_HEADERS_HEADER.equals(name)) {
                expandJsonHeaders(eventId, header.value(), headers);
            } else if (DebeziumProperties.CREATED_AT_HEADER.equals(name)) {
                createdAt = parseInstant(header.value());
            } else if (ROUTED_HEADERS.contains(name) && header.value() != null) {
                headers.add(name, String.valueOf(header.value()).getBytes(StandardCharsets.UTF_8));
            }
        }
        String topic = properties.topicFor(routed.topic());
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, key, (String) value, headers);
        return new OutboxEvent(eventId, createdAt, record);
    }

    private static void expandJsonHeaders(String eventId, Object json, RecordHeaders headers) {
        if (json == null) {
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json.toString());
        } catch (JacksonException e) {
            throw new UnpublishableRecordException(eventId, "headers column is not JSON", e);
        }
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode v = entry.getValue();
            // Only scalar values make sense as Kafka headers; nested structures are not part of the contract.
            if (CONTRACT_JSON_HEADERS.contains(entry.getKey()) && v.isValueNode() && !v.isNull()) {
                headers.add(entry.getKey(), v.asString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String headerString(SourceRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        return header == null || header.value() == null ? null : header.value().toString();
    }

    private static Instant parseInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        try {
            return Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            // Only the last-event-age metric depends on it: not worth stopping the relay.
            return null;
        }
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
