package io.outboxcdc.billing;

import io.outboxcdc.contracts.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Records shaped exactly as the relay publishes them (see the event contract in the shared briefs). */
public final class TestEvents {

    private TestEvents() {
    }

    public static String orderCreatedPayload(UUID eventId, UUID orderId, String total, Instant occurredAt) {
        return """
                {"schemaVersion":1,"eventId":"%s","orderId":"%s","customerId":"c-42","currency":"EUR",\
                "total":%s,"items":[{"sku":"BOOK-1","quantity":2,"unitPrice":24.99}],"occurredAt":"%s"}"""
                .formatted(eventId, orderId, total, occurredAt);
    }

    public static String orderCancelledPayload(UUID eventId, UUID orderId, Instant occurredAt) {
        return """
                {"schemaVersion":1,"eventId":"%s","orderId":"%s","occurredAt":"%s"}"""
                .formatted(eventId, orderId, occurredAt);
    }

    public static RecordHeaders headers(UUID eventId, String eventType, long sequence) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.ID, utf8(eventId.toString()));
        headers.add(EventHeaders.EVENT_TYPE, utf8(eventType));
        headers.add(EventHeaders.AGGREGATE_SEQUENCE, utf8(Long.toString(sequence)));
        return headers;
    }

    public static ProducerRecord<byte[], byte[]> orderCreated(String topic, UUID eventId, UUID orderId) {
        return new ProducerRecord<>(topic, null, utf8(orderId.toString()),
                utf8(orderCreatedPayload(eventId, orderId, "49.98", now())), headers(eventId, "OrderCreated", 1));
    }

    public static ProducerRecord<byte[], byte[]> orderCancelled(String topic, UUID eventId, UUID orderId) {
        return new ProducerRecord<>(topic, null, utf8(orderId.toString()),
                utf8(orderCancelledPayload(eventId, orderId, now())), headers(eventId, "OrderCancelled", 2));
    }

    public static ProducerRecord<byte[], byte[]> withTraceparent(ProducerRecord<byte[], byte[]> record,
            String traceparent) {
        record.headers().add(EventHeaders.TRACEPARENT, utf8(traceparent));
        return record;
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
