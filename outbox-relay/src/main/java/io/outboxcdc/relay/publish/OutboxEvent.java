package io.outboxcdc.relay.publish;

import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/** One routed outbox row, ready to send: the Kafka record plus what the relay itself needs to know about it. */
public record OutboxEvent(String eventId, Instant createdAt, ProducerRecord<String, String> record) {
}
