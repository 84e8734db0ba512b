package io.outboxcdc.relay.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outboxcdc.relay.support.TestProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class OutboxRecordMapperTests {

    private final OutboxRecordMapper mapper = new OutboxRecordMapper(TestProperties.relay(Map.of()));

    @Test
    void mapsARoutedRecordToTheEventContractWithExactlyItsHeaders() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("id", "e-1");
        headers.addString("eventType", "OrderCreated");
        headers.addLong("aggregateSequence", 2L);
        headers.addString("__outbox.headers",
                "{\"traceparent\": \"00-abc-01\", \"nested\": {\"a\": 1}, \"baggage\": \"x\"}");
        headers.addString("__outbox.createdAt", "2026-01-02T03:04:05.123456Z");
        headers.addString("__debezium.context.connectorName", "postgresql");

        OutboxEvent event = mapper.map(routed("order", "o-1", "{\"schemaVersion\": 1}", headers));

        ProducerRecord<String, String> record = event.record();
        assertThat(record.topic()).isEqualTo("orders");
        assertThat(record.key()).isEqualTo("o-1");
        assertThat(record.value()).isEqualTo("{\"schemaVersion\": 1}");
        assertThat(header(record, "id")).isEqualTo("e-1");
        assertThat(header(record, "eventType")).isEqualTo("OrderCreated");
        assertThat(header(record, "aggregateSequence")).isEqualTo("2");
        assertThat(header(record, "traceparent")).isEqualTo("00-abc-01");
        // Issue 12 point 5: exactly the contract's headers (contracts/README.md), in no particular order.
        assertThat(record.headers().toArray()).extracting(h -> h.key())
                .containsExactlyInAnyOrder("id", "eventType", "aggregateSequence", "traceparent");
        assertThat(event.eventId()).isEqualTo("e-1");
        assertThat(event.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    }

    @Test
    void withoutATraceparentTheHeadersAreIdEventTypeAndSequenceOnly() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("id", "e-4");
        headers.addString("eventType", "OrderCancelled");
        headers.addLong("aggregateSequence", 2L);
        headers.addString("__outbox.headers", "{}");
        ProducerRecord<String, String> record = mapper.map(routed("order", "o-1", "{}", headers)).record();
        assertThat(record.headers().toArray()).extracting(h -> h.key())
                .containsExactlyInAnyOrder("id", "eventType", "aggregateSequence");
    }

    @Test
    void unmappedAggregateTypesGoToATopicNamedLikeTheType() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("id", "e-2");
        assertThat(mapper.map(routed("invoice", "i-1", "{}", headers)).record().topic()).isEqualTo("invoice");
    }

    @Test
    void aRecordTheRouterDidNotRouteIsRefusedLoudly() {
        assertThatThrownBy(() -> mapper.map(routed("x.public.other", "k", "{}", new ConnectHeaders())))
                .isInstanceOf(UnpublishableRecordException.class).hasMessageContaining("not routed");
    }

    @Test
    void aNonStringPayloadIsUnpublishableWithItsEventId() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("id", "e-3");
        SourceRecord record = new SourceRecord(Map.of(), Map.of(), "order", null, Schema.STRING_SCHEMA, "o-1",
                Schema.INT32_SCHEMA, 42, null, headers);
        assertThatThrownBy(() -> mapper.map(record)).isInstanceOf(UnpublishableRecordException.class)
                .hasMessageContaining("e-3");
    }

    private static SourceRecord routed(String topic, String key, String value, ConnectHeaders headers) {
        return new SourceRecord(Map.of(), Map.of(), topic, null, Schema.STRING_SCHEMA, key, Schema.STRING_SCHEMA,
                value, null, headers);
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
