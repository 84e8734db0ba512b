package io.outboxcdc.billing.consumer;

import io.outboxcdc.billing.BillingProperties;
import io.outboxcdc.billing.event.EventParser;
import io.outboxcdc.billing.event.OrderCreated;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.event.PoisonRecordException;
import io.outboxcdc.billing.faultinjection.CrashPoint;
import io.outboxcdc.billing.inbox.RecordPosition;
import io.outboxcdc.billing.metrics.BillingMetrics;
import io.outboxcdc.billing.ordering.Arrival;
import io.outboxcdc.billing.ordering.BatchProcessor;
import io.outboxcdc.billing.ordering.BatchResult;
import io.outboxcdc.billing.tracing.TraceScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.log.LogAccessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * One poll at a time, one database transaction per partition's records in it. Records are parsed first (poison
 * surfaces there, before any database work); the events before a poison record are committed, then the poison
 * record is handed to the error handler ({@link BatchListenerFailedException}), which dead-letters it and
 * redelivers the rest. A batch the database refuses is split in halves, committed half by half in offset order,
 * until the record that fails alone is found: that record is dead-lettered with the database's reason. A
 * transient failure hands the first uncommitted record back for a retry with back-off. The container commits
 * offsets only after the listener returned (or, for the records before a failed one, the error handler does),
 * so every committed offset is covered by a committed transaction.
 */
@Component
public class OrderEventsListener {

    public static final String LISTENER_ID = "billing-orders";

    private static final Logger log = LoggerFactory.getLogger(OrderEventsListener.class);
    private static final LogAccessor LOG_ACCESSOR = new LogAccessor(OrderEventsListener.class);

    private final EventParser parser;
    private final BatchProcessor processor;
    private final BillingMetrics metrics;
    private final CrashPoint crashPoint;
    private final PartitionWatch watch;
    private final OffsetGuard offsetGuard;
    private final String consumerGroup;
    private final JdbcTemplate jdbc;

    public OrderEventsListener(EventParser parser, BatchProcessor processor, BillingMetrics metrics,
            CrashPoint crashPoint, PartitionWatch watch, OffsetGuard offsetGuard, BillingProperties properties,
            JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.offsetGuard = offsetGuard;
        this.parser = parser;
        this.processor = processor;
        this.metrics = metrics;
        this.crashPoint = crashPoint;
        this.watch = watch;
        this.consumerGroup = properties.groupId();
    }

    @KafkaListener(id = LISTENER_ID, topics = "${billing.topic:orders}", groupId = "${billing.group-id:billing-service}",
            batch = "true")
    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new java.util.LinkedHashMap<>();
        records.forEach(r -> byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
                p -> new ArrayList<>()).add(r));
        byPartition.forEach((partition, ofPartition) -> onPartitionBatch(partition, ofPartition, consumer));
    }

    private void onPartitionBatch(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records,
            Consumer<?, ?> consumer) {
        if (offsetGuard.jumped(consumer, partition, watch.position(partition), records.get(0).offset())) {
            // Not processed, and its offsets must not be committed either: hand the batch back. The partition is
            // paused, so it is not redelivered until an operator resets the offset (and billing restarts).
            throw new BatchListenerFailedException("records before offset " + records.get(0).offset()
                    + " were deleted unread", new OffsetsGoneException(partition), records.get(0));
        }
        watch.batchStarted(partition, records.get(0).offset(), records.get(0).timestamp());
        List<Parsed> parsed = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            RuntimeException poison = poisonOf(record);
            if (poison == null) {
                try {
                    parsed.add(new Parsed(record, new Arrival(parser.parse(record.key(), record.value(),
                            record.headers()), new RecordPosition(record.topic(), record.partition(),
                            record.offset()))));
                    continue;
                } catch (PoisonRecordException e) {
                    poison = e;
                }
            }
            commitInOrder(partition, parsed, 0, parsed.size(), consumer);
            throw new BatchListenerFailedException("poison record", poison, record);
        }
        commitInOrder(partition, parsed, 0, parsed.size(), consumer);
    }

    /** Commits {@code parsed[from, to)}, splitting on a non-transient failure to find the record to blame. */
    private void commitInOrder(TopicPartition partition, List<Parsed> parsed, int from, int to,
            Consumer<?, ?> consumer) {
        if (from >= to) {
            return;
        }
        List<Parsed> slice = parsed.subList(from, to);
        BatchResult result;
        long started = System.nanoTime();
        try {
            result = processor.process(slice.stream().map(Parsed::arrival).toList(), consumerGroup);
        } catch (RuntimeException e) {
            ConsumerRecord<byte[], byte[]> first = slice.get(0).record();
            if (FailureClassification.classify(e) == FailureClassification.Kind.TRANSIENT) {
                throw new BatchListenerFailedException("transient failure", e, first);
            }
            if (slice.size() == 1 && !databaseAnswers()) {
                // Blame a record only while the database answers: a failure during an outage is the outage's.
                throw new BatchListenerFailedException("database unavailable", e, first);
            }
            if (slice.size() == 1) {
                String sqlState = FailureClassification.sqlState(e);
                String reason = NestedExceptionUtils.getMostSpecificCause(e).getMessage();
                log.error("Record {}-{}@{} fails on its own ({}): {}", first.topic(), first.partition(),
                        first.offset(), sqlState == null ? "no SQL state" : "SQL state " + sqlState, reason);
                throw new BatchListenerFailedException("record refused", new RecordRefusedException(sqlState,
                        (sqlState == null ? "" : "SQL state " + sqlState + ": ") + reason, e), first);
            }
            log.warn("Batch {}-{}@{}..{} failed ({}): splitting it to find the record to blame", partition.topic(),
                    partition.partition(), first.offset(), slice.get(slice.size() - 1).record().offset(),
                    NestedExceptionUtils.getMostSpecificCause(e).toString());
            int middle = from + (to - from) / 2;
            commitInOrder(partition, parsed, from, middle, consumer);
            commitInOrder(partition, parsed, middle, to, consumer);
            return;
        }
        committed(partition, slice, result, System.nanoTime() - started, consumer);
    }

    private boolean databaseAnswers() {
        try {
            return Integer.valueOf(1).equals(jdbc.queryForObject("SELECT 1", Integer.class));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** After the commit: metrics, one log line, the watch; a line here is a fact, not an intention. */
    private void committed(TopicPartition partition, List<Parsed> slice, BatchResult result, long nanos,
            Consumer<?, ?> consumer) {
        long next = slice.get(slice.size() - 1).record().offset() + 1;
        var lag = consumer.currentLag(partition);
        watch.advanced(partition, next, lag.isPresent() ? lag.getAsLong() : -1);
        log.info("Batch {}-{}@{}..{}: {} records, {} applied, {} duplicates, {} parked, {} stale", partition.topic(),
                partition.partition(), slice.get(0).record().offset(), next - 1, result.records(),
                result.applied().size(), result.duplicates(), result.parkedArrivals(), result.stale());
        if (log.isDebugEnabled()) {
            logEffects(slice, result);
        }
        metrics.batchCommitted(result, java.time.Duration.ofNanos(nanos));
        if (result.hadNewEvents()) {
            crashPoint.afterDbCommit();
        }
    }

    /** Per effect, in the trace of the record that carried it (the W3C traceparent of the order's request). */
    private static void logEffects(List<Parsed> slice, BatchResult result) {
        Map<UUID, ConsumerRecord<byte[], byte[]>> recordOf = new HashMap<>();
        slice.forEach(p -> recordOf.putIfAbsent(p.arrival().event().eventId(), p.record()));
        for (OrderEvent event : result.applied()) {
            ConsumerRecord<byte[], byte[]> record = recordOf.get(event.eventId());
            try (TraceScope trace = TraceScope.continueFrom(record == null
                    ? new org.apache.kafka.common.header.internals.RecordHeaders() : record.headers())) {
                if (event instanceof OrderCreated created) {
                    log.debug("Invoice issued for order {}: {} {} (event {})", created.orderId(),
                            created.total().toPlainString(), created.currency(), created.eventId());
                } else {
                    log.debug("Invoice voided for order {} (event {})", event.orderId(), event.eventId());
                }
            }
        }
    }

    private static RuntimeException poisonOf(ConsumerRecord<byte[], byte[]> record) {
        DeserializationException value = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
        if (value != null) {
            return value;
        }
        return SerializationUtils.getExceptionFromHeader(record, SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER,
                LOG_ACCESSOR);
    }

    private record Parsed(ConsumerRecord<byte[], byte[]> record, Arrival arrival) {
    }
}
