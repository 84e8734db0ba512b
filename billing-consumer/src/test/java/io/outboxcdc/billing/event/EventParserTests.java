package io.outboxcdc.billing.event;

import static io.outboxcdc.billing.TestEvents.headers;
import static io.outboxcdc.billing.TestEvents.orderCancelledPayload;
import static io.outboxcdc.billing.TestEvents.orderCreatedPayload;
import static io.outboxcdc.billing.TestEvents.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTests {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    private final EventParser parser = new EventParser();
    private final UUID eventId = UUID.randomUUID();
    private final UUID orderId = UUID.randomUUID();

    @Test
    void readsAnOrderCreatedExactlyAsTheContractShapesIt() {
        SequencedEvent parsed = parser.parse(utf8(orderId.toString()),
                utf8(orderCreatedPayload(eventId, orderId, "49.98", AT)), headers(eventId, "OrderCreated", 1));

        assertThat(parsed.aggregateSequence()).isEqualTo(1);
        assertThat(parsed.event()).isEqualTo(new OrderCreated(eventId, orderId, "c-42", "EUR",
                new BigDecimal("49.98"), java.util.List.of(new OrderCreated.Item("BOOK-1", 2, new BigDecimal("24.99"))),
                AT));
    }

    @Test
    void readsAnOrderCancelled() {
        SequencedEvent parsed = parser.parse(utf8(orderId.toString()),
                utf8(orderCancelledPayload(eventId, orderId, AT)), headers(eventId, "OrderCancelled", 2));

        assertThat(parsed.event()).isEqualTo(new OrderCancelled(eventId, orderId, AT));
        assertThat(parsed.aggregateSequence()).isEqualTo(2);
    }

    @Test
    void keepsMoneyExactAndAcceptsIntegralTotals() {
        OrderEvent event = parser.parsePayload(EventType.ORDER_CREATED, orderCreatedPayload(eventId, orderId, "50", AT));

        assertThat(((OrderCreated) event).total()).isEqualByComparingTo("50.00");
    }

    @Test
    void toleratesUnknownFieldsAndJsonQuotedHeaders() {
        RecordHeaders quoted = new RecordHeaders();
        quoted.add("id", utf8("\"" + eventId + "\""));
        quoted.add("eventType", utf8("\"OrderCancelled\""));
        quoted.add("aggregateSequence", utf8("2"));
        String payload = orderCancelledPayload(eventId, orderId, AT).replace("{", "{\"reason\":\"customer\",");

        assertThat(parser.parse(null, utf8(payload), quoted).eventId()).isEqualTo(eventId);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json at all",
            "[1,2]",
            "{\"schemaVersion\":1}",
            "{\"schemaVersion\":2,\"eventId\":\"$E\",\"orderId\":\"$O\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}",
            "{\"schemaVersion\":\"1\",\"eventId\":\"$E\",\"orderId\":\"$O\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}",
            "{\"schemaVersion\":1,\"eventId\":42,\"orderId\":\"$O\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}",
            "{\"schemaVersion\":1,\"eventId\":\"$E\",\"orderId\":\"not-a-uuid\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}",
            "{\"schemaVersion\":1,\"eventId\":\"$E\",\"orderId\":\"$O\",\"occurredAt\":\"yesterday\"}",
            "{\"schemaVersion\":1,\"eventId\":\"$E\",\"orderId\":\"$O\",\"occurredAt\":\"2026-01-01T00:00:00Z\"} trailing",
    })
    void rejectsMalformedCancellationsAsPoison(String template) {
        String payload = template.replace("$E", eventId.toString()).replace("$O", orderId.toString());

        assertThatThrownBy(() -> parser.parse(null, utf8(payload), headers(eventId, "OrderCancelled", 2)))
                .isInstanceOf(PoisonRecordException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"total\":49.98,|\"total\":\"49.98\",",
            "\"total\":49.98,|\"total\":-1,",
            "\"total\":49.98,|\"total\":49.985,",
            "\"total\":49.98,|\"total\":123456789012345678.00,",
            "\"total\":49.98,|",
            "\"currency\":\"EUR\"|\"currency\":\"euro\"",
            "\"customerId\":\"c-42\"|\"customerId\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
            "\"quantity\":2|\"quantity\":\"two\"",
            "\"quantity\":2|\"quantity\":0",
            "\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":24.99}]|\"items\":[]",
    })
    void rejectsMalformedOrderCreatedAsPoison(String replacement) {
        String[] parts = replacement.split("\\|", -1);
        String payload = orderCreatedPayload(eventId, orderId, "49.98", AT).replace(parts[0], parts[1]);

        assertThatThrownBy(() -> parser.parse(null, utf8(payload), headers(eventId, "OrderCreated", 1)))
                .isInstanceOf(PoisonRecordException.class);
    }

    /** Everything PostgreSQL would refuse is refused while parsing (issue 13's poison records included). */
    @ParameterizedTest
    @ValueSource(strings = {
            "\"customerId\":\"c-42\"|\"customerId\":\"c-\\u0000-42\"",
            "\"occurredAt\":\"2026-01-02T03:04:05.678Z\"|\"occurredAt\":\"+300000-01-01T00:00:00Z\"",
            "\"occurredAt\":\"2026-01-02T03:04:05.678Z\"|\"occurredAt\":\"1969-12-31T23:59:59Z\"",
            "\"sku\":\"BOOK-1\"|\"sku\":\"BOOK\\u0000\"",
            "\"schemaVersion\":1|\"schemaVersion\":1,\"note\":\"a\\u0000b\"",
            "\"schemaVersion\":1|\"schemaVersion\":1,\"x\\u0000\":1",
            "\"schemaVersion\":1|\"schemaVersion\":1,\"big\":1e999999",
    })
    void rejectsWhatTheDatabaseWouldRefuse(String replacement) {
        String[] parts = replacement.split("\\|", -1);
        String payload = orderCreatedPayload(eventId, orderId, "49.98", AT).replace(parts[0], parts[1]);
        assertThat(payload).isNotEqualTo(orderCreatedPayload(eventId, orderId, "49.98", AT));

        assertThatThrownBy(() -> parser.parse(null, utf8(payload), headers(eventId, "OrderCreated", 1)))
                .isInstanceOf(PoisonRecordException.class);
    }

    @Test
    void countsCharactersAsPostgresDoes() {
        String emoji64 = "\uD83D\uDE00".repeat(64);
        String payload = orderCreatedPayload(eventId, orderId, "49.98", AT).replace("\"c-42\"", "\"" + emoji64 + "\"");

        assertThat(((OrderCreated) parser.parsePayload(EventType.ORDER_CREATED, payload)).customerId())
                .isEqualTo(emoji64);
        assertThat(ColumnLimits.fitsText(emoji64 + "x", ColumnLimits.CUSTOMER_ID_MAX_CHARACTERS)).isFalse();
        assertThat(ColumnLimits.fitsAmount(new BigDecimal("99999999999999999.99"))).isTrue();
        assertThat(ColumnLimits.fitsAmount(new BigDecimal("100000000000000000"))).isFalse();
        assertThat(ColumnLimits.fitsInstant(ColumnLimits.LATEST_INSTANT)).isTrue();
        assertThat(ColumnLimits.fitsInstant(ColumnLimits.LATEST_INSTANT.plusNanos(1000))).isFalse();
    }

    @Test
    void rejectsUnknownEventTypesMissingHeadersAndBadSequences() {
        byte[] payload = utf8(orderCancelledPayload(eventId, orderId, AT));

        assertThatThrownBy(() -> parser.parse(null, payload, headers(eventId, "OrderShipped", 2)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("unknown eventType");
        RecordHeaders noId = headers(eventId, "OrderCancelled", 2);
        noId.remove("id");
        assertThatThrownBy(() -> parser.parse(null, payload, noId))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("missing header id");
        RecordHeaders badSequence = headers(eventId, "OrderCancelled", 2);
        badSequence.remove("aggregateSequence");
        badSequence.add("aggregateSequence", utf8("0"));
        assertThatThrownBy(() -> parser.parse(null, payload, badSequence))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("aggregateSequence");
    }

    @Test
    void rejectsAHeaderIdThatIsNotThePayloadsEventId() {
        byte[] payload = utf8(orderCancelledPayload(eventId, orderId, AT));

        assertThatThrownBy(() -> parser.parse(null, payload, headers(UUID.randomUUID(), "OrderCancelled", 2)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("differs");
    }

    @Test
    void rejectsValuesThatAreNotUtf8OrMissing() {
        byte[] latin1 = orderCancelledPayload(eventId, orderId, AT).replace("}", ",\"x\":\"caf\u00e9\"}")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> parser.parse(null, latin1, headers(eventId, "OrderCancelled", 2)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> parser.parse(null, null, headers(eventId, "OrderCancelled", 2)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("no value");
    }
}
