package io.outboxcdc.order.outbox;

import io.outboxcdc.contracts.EventHeaders;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an event into its outbox row, refusing one Kafka would refuse for its size, and appends it inside the
 * caller's transaction: never on its own.
 */
@Component
public class OutboxWriter {

    // W3C Trace Context, version 00 layout; anything else is dropped rather than forwarded to Kafka.
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    @PersistenceContext
    private EntityManager entityManager;

    private final JsonMapper json;
    private final long maxEventSize;

    public OutboxWriter(JsonMapper json, OutboxProperties properties) {
        this.json = json;
        this.maxEventSize = properties.maxEventSize().toBytes();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public OutboxRow write(OutboxMessage message) {
        OutboxRow event = toRow(message);
        entityManager.persist(event);
        return event;
    }

    /**
     * The row for {@code message}, for callers that insert it with their own statement (the order creation
     * writes everything in one).
     *
     * @throws EventTooLargeException if the Kafka record would exceed {@code orders.outbox.max-event-size}
     */
    public OutboxRow toRow(OutboxMessage message) {
        Map<String, String> headers = headers(message);
        String payload = json.writeValueAsString(message.payload());
        long size = KafkaRecordSize.upperBound(message.aggregateId(), payload, kafkaHeaders(message, headers));
        if (size > maxEventSize) {
            throw new EventTooLargeException(message.type(), size, maxEventSize);
        }
        return new OutboxRow(message.eventId(), message.aggregateType(), message.aggregateId(),
                message.aggregateSequence(), message.type(), payload, json.writeValueAsString(headers),
                message.occurredAt());
    }

    private static Map<String, String> headers(OutboxMessage message) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (isValidTraceparent(message.traceparent())) {
            headers.put(EventHeaders.TRACEPARENT, message.traceparent());
        }
        return headers;
    }

    /** The headers of the contract (contracts/README.md): id, eventType, aggregateSequence and the extra ones. */
    private static Map<String, String> kafkaHeaders(OutboxMessage message, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(EventHeaders.ID, message.eventId().toString());
        headers.put(EventHeaders.EVENT_TYPE, message.type());
        headers.put(EventHeaders.AGGREGATE_SEQUENCE, Long.toString(message.aggregateSequence()));
        headers.putAll(extra);
        return headers;
    }

    static boolean isValidTraceparent(String value) {
        return value != null && TRACEPARENT.matcher(value).matches() && !value.startsWith("ff")
                && !value.substring(3, 35).matches("0+") && !value.substring(36, 52).matches("0+");
    }
}
