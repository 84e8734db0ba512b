package io.outboxcdc.billing.operator;

import io.outboxcdc.billing.BillingProperties;
import io.outboxcdc.billing.consumer.KafkaConsumerConfiguration;
import io.outboxcdc.billing.event.EventParser;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.inbox.ProcessedEvents;
import io.outboxcdc.billing.inbox.RecordPosition;
import io.outboxcdc.billing.metrics.BillingMetrics;
import io.outboxcdc.billing.ordering.BatchProcessor;
import io.outboxcdc.billing.ordering.ParkedEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/parked}: the parked events, oldest first. {@code POST /actuator/parked/{eventId}} with
 * {@code {"action":"RELEASE"}} applies the event as if its missing predecessors had been applied (then its parked
 * successors up to the next gap); {@code {"action":"DEAD_LETTER"}} publishes it to the dead-letter topic with the
 * reason and removes it. Both are the operator's decision that the predecessor will never come.
 */
@Component
@Endpoint(id = "parked")
public class ParkedEventsEndpoint {

    private static final Logger log = LoggerFactory.getLogger(ParkedEventsEndpoint.class);
    private static final int LIST_LIMIT = 1000;

    private final ParkedEvents parked;
    private final ProcessedEvents inbox;
    private final BatchProcessor processor;
    private final KafkaTemplate<byte[], byte[]> deadLetterTemplate;
    private final BillingMetrics metrics;
    private final BillingProperties billing;
    private final Clock clock;

    public ParkedEventsEndpoint(ParkedEvents parked, ProcessedEvents inbox, BatchProcessor processor,
            KafkaTemplate<byte[], byte[]> deadLetterTemplate, BillingMetrics metrics, BillingProperties billing,
            Clock clock) {
        this.parked = parked;
        this.inbox = inbox;
        this.processor = processor;
        this.deadLetterTemplate = deadLetterTemplate;
        this.metrics = metrics;
        this.billing = billing;
        this.clock = clock;
    }

    @ReadOperation
    public List<Map<String, Object>> list() {
        return parked.list(LIST_LIMIT).stream().map(row -> Map.<String, Object>of(
                "eventId", row.eventId().toString(),
                "orderId", row.orderId().toString(),
                "aggregateSequence", row.aggregateSequence(),
                "eventType", row.eventType(),
                "parkedAt", row.parkedAt().toString(),
                "parkedSeconds", Duration.between(row.parkedAt(), clock.instant()).toSeconds())).toList();
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> resolve(@Selector String eventId, String action) {
        UUID id;
        Action chosen;
        try {
            id = UUID.fromString(eventId);
            chosen = Action.valueOf(String.valueOf(action).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new WebEndpointResponse<>(Map.of("error", "expected an event id and"
                    + " {\"action\":\"RELEASE\"} or {\"action\":\"DEAD_LETTER\"}"), 400);
        }
        return switch (chosen) {
            case RELEASE -> release(id);
            case DEAD_LETTER -> deadLetter(id);
        };
    }

    private WebEndpointResponse<Map<String, Object>> release(UUID eventId) {
        if (parked.find(eventId).isEmpty()) {
            return notParked(eventId);
        }
        List<OrderEvent> applied = processor.release(eventId);
        return new WebEndpointResponse<>(Map.of("eventId", eventId.toString(), "action", "RELEASE",
                "applied", applied.stream().map(e -> e.type().headerValue() + " " + e.eventId()).toList()), 200);
    }

    private WebEndpointResponse<Map<String, Object>> deadLetter(UUID eventId) {
        var row = parked.find(eventId);
        if (row.isEmpty()) {
            return notParked(eventId);
        }
        var event = row.get();
        Integer partition = inbox.positionOf(eventId).map(RecordPosition::partition).orElse(null);
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventParser.ID_HEADER, utf8(eventId.toString()));
        headers.add(EventParser.EVENT_TYPE_HEADER, utf8(event.eventType()));
        headers.add(EventParser.SEQUENCE_HEADER, utf8(Long.toString(event.aggregateSequence())));
        headers.add(KafkaConsumerConfiguration.ERROR_CLASS_HEADER, utf8("ParkedEventDeadLettered"));
        headers.add(KafkaConsumerConfiguration.ERROR_MESSAGE_HEADER, utf8("dead-lettered by an operator after "
                + Duration.between(event.parkedAt(), clock.instant()).toSeconds() + " s parked: a predecessor of"
                + " sequence " + event.aggregateSequence() + " never arrived"));
        try {
            // Acknowledged before the row goes: a crash in between dead-letters it twice, never loses it.
            deadLetterTemplate.send(new ProducerRecord<>(billing.deadLetterTopic(), partition,
                    utf8(event.orderId().toString()), utf8(event.payload()), headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new WebEndpointResponse<>(Map.of("error", "the dead-letter topic did not acknowledge: " + e), 503);
        }
        parked.remove(List.of(eventId));
        metrics.deadLettered();
        log.warn("Operator dead-lettered parked event {} (sequence {}) of order {}", eventId,
                event.aggregateSequence(), event.orderId());
        return new WebEndpointResponse<>(Map.of("eventId", eventId.toString(), "action", "DEAD_LETTER",
                "deadLetterTopic", billing.deadLetterTopic()), 200);
    }

    private static WebEndpointResponse<Map<String, Object>> notParked(UUID eventId) {
        return new WebEndpointResponse<>(Map.of("error", "no parked event " + eventId), 404);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    enum Action { RELEASE, DEAD_LETTER }
}
