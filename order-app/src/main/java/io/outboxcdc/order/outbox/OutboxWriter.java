package io.outboxcdc.order.outbox;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Appends one event to the outbox, inside the caller's transaction: never on its own. */
@Component
public class OutboxWriter {

    // W3C Trace Context, version 00 layout; anything else is dropped rather than forwarded to Kafka.
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    @PersistenceContext
    private EntityManager entityManager;

    private final JsonMapper json;

    public OutboxWriter(JsonMapper json) {
        this.json = json;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public OutboxEvent write(OutboxMessage message) {
        OutboxEvent event = new OutboxEvent(message.eventId(), message.aggregateType(), message.aggregateId(),
                message.aggregateSequence(), message.type(), json.writeValueAsString(message.payload()),
                json.writeValueAsString(headers(message)), message.occurredAt());
        entityManager.persist(event);
        return event;
    }

    private static Map<String, String> headers(OutboxMessage message) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (isValidTraceparent(message.traceparent())) {
            headers.put("traceparent", message.traceparent());
        }
        return headers;
    }

    static boolean isValidTraceparent(String value) {
        return value != null && TRACEPARENT.matcher(value).matches() && !value.startsWith("ff")
                && !value.substring(3, 35).matches("0+") && !value.substring(36, 52).matches("0+");
    }
}
