package io.outboxcdc.relay.deadletter;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.publish.KafkaEventPublisher;
import io.outboxcdc.relay.publish.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an event an operator moved aside to the relay's dead-letter topic, synchronously: same key, value and
 * headers as it would have had, plus why and where it was meant to go. Its own producer allows records up to
 * {@code relay.dead-letter.max-message-bytes}; an event larger still goes without its payload, which stays
 * in the outbox row (header {@code relay.dlt.payload-omitted}).
 */
public final class DeadLetterPublisher implements AutoCloseable {

    public static final String REASON_HEADER = "relay.dlt.reason";
    public static final String ORIGINAL_TOPIC_HEADER = "relay.dlt.original-topic";
    public static final String PAYLOAD_OMITTED_HEADER = "relay.dlt.payload-omitted";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final RelayProperties properties;
    private KafkaEventPublisher producer;

    public DeadLetterPublisher(RelayProperties properties) {
        this.properties = properties;
    }

    public void send(OutboxEvent event, String reason) throws InterruptedException {
        ProducerRecord<String, String> original = event.record();
        try {
            send(record(original, reason, original.value(), false));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RecordTooLargeException)) {
                throw new IllegalStateException("dead-lettering outbox event " + event.eventId() + " failed: "
                        + e.getCause(), e.getCause());
            }
            try {
                send(record(original, reason, null, true));
            } catch (ExecutionException again) {
                throw new IllegalStateException("dead-lettering outbox event " + event.eventId()
                        + " without its payload failed: " + again.getCause(), again.getCause());
            }
        }
        log.warn("Outbox event {} (key {}) moved to dead-letter topic {} instead of {}: {}", event.eventId(),
                original.key(), properties.deadLetter().topic(), original.topic(), reason);
    }

    private void send(ProducerRecord<String, String> record) throws InterruptedException, ExecutionException {
        try {
            producer().send(record, null).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ExecutionException(e);
        }
    }

    private ProducerRecord<String, String> record(ProducerRecord<String, String> original, String reason,
            String value, boolean payloadOmitted) {
        RecordHeaders headers = new RecordHeaders(original.headers().toArray());
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGINAL_TOPIC_HEADER, original.topic().getBytes(StandardCharsets.UTF_8));
        if (payloadOmitted) {
            headers.add(PAYLOAD_OMITTED_HEADER, "true".getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(properties.deadLetter().topic(), null, original.key(), value, headers);
    }

    private KafkaEventPublisher producer() {
        if (producer == null) {
            Map<String, String> overrides = new HashMap<>(properties.producer());
            overrides.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    Integer.toString(properties.deadLetter().maxMessageBytes()));
            overrides.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-dead-letter");
            producer = new KafkaEventPublisher(properties.kafka().bootstrapServers(), overrides);
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
