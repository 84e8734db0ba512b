package io.outboxcdc.relay.engine;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import io.outboxcdc.relay.metrics.RelayMetrics;
import io.outboxcdc.relay.publish.KafkaEventPublisher;
import io.outboxcdc.relay.publish.OutboxEvent;
import io.outboxcdc.relay.publish.OutboxRecordMapper;
import io.outboxcdc.relay.publish.UnpublishableRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The at-least-once core: sends every event of a batch asynchronously (the producer batches them, one key's
 * events stay in order on their partition), waits until Kafka acknowledged all of them, and only then marks
 * the batch processed so that Debezium may store its offset and confirm the LSN to the slot. Any failure
 * throws before that point: nothing of the batch is committed and the next run replays it.
 */
public class OutboxBatchHandler implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(OutboxBatchHandler.class);

    private final OutboxRecordMapper mapper;
    private final KafkaEventPublisher publisher;
    private final RelayMetrics metrics;
    private final String heartbeatTopic;
    private final String heartbeatTableTopic;

    public OutboxBatchHandler(OutboxRecordMapper mapper, KafkaEventPublisher publisher, RelayMetrics metrics,
            String heartbeatTopic, String heartbeatTableTopic) {
        this.mapper = mapper;
        this.publisher = publisher;
        this.metrics = metrics;
        this.heartbeatTopic = heartbeatTopic;
        this.heartbeatTableTopic = heartbeatTableTopic;
    }

    @Override
    public void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> records,
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        List<OutboxEvent> events = new ArrayList<>(records.size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ChangeEvent<SourceRecord, SourceRecord> change : records) {
            SourceRecord record = change.value();
            if (isHeartbeat(record)) {
                // Not published, but committed like any event: that is what moves the slot on an idle outbox.
                continue;
            }
            OutboxEvent event = mapper.map(record);
            events.add(event);
            try {
                acks.add(publisher.send(event));
            } catch (SerializationException e) {
                throw new UnpublishableRecordException(event.eventId(), e.getMessage(), e);
            }
        }
        awaitAcknowledgements(events, acks);
        for (ChangeEvent<SourceRecord, SourceRecord> change : records) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        if (!events.isEmpty()) {
            events.forEach(event -> metrics.delivered(event.createdAt()));
            metrics.relayed(events.size(), events.get(events.size() - 1).createdAt());
        }
    }

    /**
     * Waits for every acknowledgement even if the engine is being closed meanwhile (interrupt): finishing the
     * in-flight batch is what lets a graceful stop commit it, so that a restart publishes no duplicate. The
     * wait is bounded by the producer's delivery timeout.
     */
    private void awaitAcknowledgements(List<OutboxEvent> events, List<Future<RecordMetadata>> acks) {
        boolean interrupted = false;
        try {
            for (int i = 0; i < acks.size(); i++) {
                while (true) {
                    try {
                        acks.get(i).get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        throw failure(events.get(i), e.getCause());
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RuntimeException failure(OutboxEvent event, Throwable cause) {
        if (cause instanceof RecordTooLargeException || cause instanceof SerializationException) {
            return new UnpublishableRecordException(event.eventId(), cause.toString(), cause);
        }
        return new PublishFailedException("Kafka did not acknowledge outbox event " + event.eventId()
                + " (topic " + event.record().topic() + "): " + cause, cause);
    }

    private boolean isHeartbeat(SourceRecord record) {
        String topic = record.topic();
        return topic.equals(heartbeatTopic) || topic.equals(heartbeatTableTopic);
    }

    /** Kafka did not acknowledge an event in time: retriable by a later engine run. */
    public static class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
