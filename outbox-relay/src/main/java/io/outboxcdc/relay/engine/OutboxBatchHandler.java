package io.outboxcdc.relay.engine;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.transforms.outbox.EventRouter;
import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.deadletter.DeadLetterPublisher;
import io.outboxcdc.relay.deadletter.DeadLetterRequests;
import io.outboxcdc.relay.engine.AckWatermark.Entry;
import io.outboxcdc.relay.metrics.RelayMetrics;
import io.outboxcdc.relay.publish.KafkaEventPublisher;
import io.outboxcdc.relay.publish.OutboxEvent;
import io.outboxcdc.relay.publish.OutboxRecordMapper;
import io.outboxcdc.relay.publish.UnpublishableRecordException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The at-least-once core of one engine run.
 *
 * <p>Every record of the replication stream is classified ({@link RecordKind}); only outbox inserts are routed
 * (Debezium's Outbox Event Router) and sent, everything else is skipped and counted. Each record takes its place
 * in an {@link AckWatermark}; a record's offset is committed only when it and every record before it are
 * acknowledged, so the slot never passes an unacknowledged event.
 *
 * <p>PIPELINED: the handler returns as soon as a batch is sent (bounded by {@code max-in-flight-events}); the
 * producer keeps per-key order (idempotent, at most 5 in flight, key = aggregate id); a committer thread stores
 * the acknowledged prefix every {@code relay.offsets.flush-interval}. BATCH_SYNC: each batch waits for its acks
 * and commits before the next is polled.
 *
 * <p>The first failed send stops publishing at once: an asynchronous failure closes the producer from its
 * callback (Kafka's way to keep later records from being sent), a synchronous one (too large, unserialisable)
 * stops the batch before the next record. Nothing after the failed event is committed; the run ends and the
 * supervisor restarts it (retriable) or stops at the event (refused by Kafka: see DeadLetterRequests).
 */
public class OutboxBatchHandler implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>>,
        AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxBatchHandler.class);
    /** Above the producer's delivery timeout: every send has an outcome by then. */
    private static final Duration ACK_WAIT = Duration.ofSeconds(90);

    private final boolean pipelined;
    private final int maxInFlight;
    private final String outboxTopic;
    private final String heartbeatTopic;
    private final String topicPrefix;
    private final OutboxRecordMapper mapper;
    private final EventRouter<SourceRecord> router = new EventRouter<>();
    private final KafkaEventPublisher publisher;
    private final DeadLetterPublisher deadLetterPublisher;
    private final DeadLetterRequests deadLetters;
    private final RelayMetrics metrics;
    private final Runnable onAsynchronousFailure;
    private final ScheduledExecutorService committerThread;

    private final AckWatermark<ChangeEvent<SourceRecord, SourceRecord>> watermark = new AckWatermark<>();
    private final Object commitLock = new Object();
    private final PublishOutcomes outcomes = new PublishOutcomes();
    private volatile DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer;
    private volatile boolean draining;
    private volatile boolean closed;
    /** The thread inside {@code producer.send}: a callback on it is a synchronous refusal (handleBatch stops). */
    private volatile Thread sending;

    public OutboxBatchHandler(RelayProperties properties, OutboxRecordMapper mapper, KafkaEventPublisher publisher,
            DeadLetterPublisher deadLetterPublisher, DeadLetterRequests deadLetters, RelayMetrics metrics,
            Runnable onAsynchronousFailure) {
        this.pipelined = properties.publishing() == RelayProperties.Publishing.PIPELINED;
        this.maxInFlight = properties.streaming().maxInFlightEvents();
        this.outboxTopic = DebeziumProperties.outboxTopic(properties);
        this.heartbeatTopic = DebeziumProperties.heartbeatTopic(properties);
        this.topicPrefix = properties.topicPrefix();
        this.mapper = mapper;
        this.publisher = publisher;
        this.deadLetterPublisher = deadLetterPublisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.onAsynchronousFailure = onAsynchronousFailure;
        router.configure(DebeziumProperties.eventRouterConfig());
        if (pipelined) {
            long interval = Math.max(5, properties.offsets().flushInterval().toMillis());
            committerThread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "relay-offset-committer");
                t.setDaemon(true);
                return t;
            });
            committerThread.scheduleWithFixedDelay(this::commitInBackground, interval, interval, TimeUnit.MILLISECONDS);
        } else {
            committerThread = null;
        }
    }

    @Override
    public void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> records,
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
            throws InterruptedException {
        this.committer = committer;
        if (outcomes.hasFailure()) {
            throw stopAfterFailure();
        }
        for (ChangeEvent<SourceRecord, SourceRecord> change : records) {
            SourceRecord record = change.value();
            RecordKind kind = RecordKind.of(record, outboxTopic, heartbeatTopic, topicPrefix);
            if (kind != RecordKind.OUTBOX_INSERT) {
                // Not published, but committed in its turn: a heartbeat is what moves the slot on an idle outbox.
                metrics.skipped(kind);
                watermark.addDone(change);
                continue;
            }
            if (!publish(change, record)) {
                break;
            }
        }
        if (outcomes.hasFailure()) {
            throw stopAfterFailure();
        }
        if (!pipelined || draining) {
            awaitAcknowledgements();
            commitAcknowledged();
            if (outcomes.hasFailure()) {
                throw stopAfterFailure();
            }
        } else {
            // Back-pressure: the queue and the producer's buffer are bounded, so is what waits for acks.
            watermark.awaitAtMost(maxInFlight, () -> outcomes.hasFailure() || closed);
        }
    }

    /** Routes, maps and sends one outbox insert; false when publishing must stop here. */
    private boolean publish(ChangeEvent<SourceRecord, SourceRecord> change, SourceRecord record)
            throws InterruptedException {
        SourceRecord routed = router.apply(record);
        if (routed == null) {
            metrics.skipped(RecordKind.OTHER);
            watermark.addDone(change);
            return true;
        }
        OutboxEvent event;
        try {
            event = mapper.map(routed);
        } catch (UnpublishableRecordException e) {
            Entry<ChangeEvent<SourceRecord, SourceRecord>> entry = watermark.addPending(change);
            failed(entry, e.eventId(), null, e, true, true);
            return false;
        }
        if (deadLetters.isApproved(event.eventId())) {
            String reason = deadLetters.stopped().filter(s -> s.eventId().equals(event.eventId()))
                    .map(DeadLetterRequests.StoppedEvent::reason).orElse("moved aside by an operator");
            deadLetterPublisher.send(event, reason);
            deadLetters.deadLettered(event.eventId());
            metrics.deadLettered();
            watermark.addDone(change);
            return true;
        }
        Entry<ChangeEvent<SourceRecord, SourceRecord>> entry = watermark.addPending(change);
        sending = Thread.currentThread();
        try {
            publisher.send(event.record(), (metadata, error) -> {
                if (error == null) {
                    acknowledged(entry, event);
                } else {
                    failed(entry, event.eventId(), event.record(), error, isUnpublishable(error),
                            Thread.currentThread() == sending);
                }
            });
        } catch (RuntimeException e) {
            // Serialisation fails inside send(); a producer closed after an earlier failure refuses too.
            failed(entry, event.eventId(), event.record(), e, isUnpublishable(e), true);
        } finally {
            sending = null;
        }
        return !outcomes.hasFailure();
    }

    private void acknowledged(Entry<ChangeEvent<SourceRecord, SourceRecord>> entry, OutboxEvent event) {
        watermark.acknowledge(entry);
        outcomes.acknowledged(entry.position(), event.eventId());
        metrics.acknowledged(event.createdAt());
    }

    private void failed(Entry<ChangeEvent<SourceRecord, SourceRecord>> entry, String eventId,
            ProducerRecord<String, String> record, Throwable error, boolean unpublishable, boolean synchronous) {
        boolean first = outcomes.failed(new PublishOutcomes.Failure(entry.position(), eventId, record, error,
                unpublishable));
        watermark.fail(entry);
        if (first && !synchronous) {
            // On the producer's I/O thread: stop it before it sends (or re-sends) anything queued behind the
            // failed record, which could otherwise overtake it. The next batch (a heartbeat at the latest) ends the run.
            publisher.closeNow();
            onAsynchronousFailure.run();
        }
    }

    private static boolean isUnpublishable(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidRecordException || error instanceof SerializationException;
    }

    /**
     * After a failure: waits until every other send has its outcome (they complete, or fail once the producer is
     * closed), commits the acknowledged prefix, and returns the exception that ends the run, saying truthfully
     * what was published and what was not.
     */
    RuntimeException stopAfterFailure() {
        awaitAcknowledgements();
        try {
            commitAcknowledged();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return outcomes.toException();
    }

    /** Waits for every send's outcome, even if the engine is being closed meanwhile (interrupt). */
    private void awaitAcknowledgements() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + ACK_WAIT.toNanos();
        try {
            while (true) {
                try {
                    if (!watermark.awaitNonePending(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                        log.warn("{} sends still without an outcome after {}", watermark.pendingCount(), ACK_WAIT);
                    }
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Marks the acknowledged prefix processed and lets Debezium store it (and confirm the LSN to the slot). */
    void commitAcknowledged() throws InterruptedException {
        synchronized (commitLock) {
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> current = committer;
            if (current == null) {
                return;
            }
            List<ChangeEvent<SourceRecord, SourceRecord>> prefix = watermark.takeAcknowledgedPrefix();
            if (prefix.isEmpty()) {
                return;
            }
            for (ChangeEvent<SourceRecord, SourceRecord> change : prefix) {
                current.markProcessed(change);
            }
            current.markBatchFinished();
        }
        watermark.wakeUp();
    }

    private void commitInBackground() {
        if (closed) {
            return;
        }
        try {
            commitAcknowledged();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The records stay unconfirmed: the next tick (or the engine's final commit) stores them.
            log.warn("Storing offsets failed: {}", e.toString());
            metrics.countError("offsets");
        }
    }

    /**
     * Graceful stop: from now on every batch waits for its acks; waits for what is in flight and commits it, so
     * that the engine's own final commit covers every acknowledged event and a restart publishes no duplicate.
     */
    public void finishInFlight() {
        draining = true;
        awaitAcknowledgements();
        try {
            commitAcknowledged();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Storing offsets at stop failed: {}", e.toString());
        }
    }

    /** The failure that ended the run, if one did. */
    public RuntimeException failure() {
        return outcomes.hasFailure() ? stopAfterFailure() : null;
    }

    /** Stops the background committer: the engine is stopping and stores its last offsets itself. */
    public void stopCommitting() {
        closed = true;
        if (committerThread != null) {
            committerThread.shutdown();
        }
        watermark.wakeUp();
    }

    @Override
    public void close() {
        stopCommitting();
        if (committerThread != null) {
            try {
                committerThread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        router.close();
        deadLetterPublisher.close();
    }

    /** Kafka did not acknowledge an event in time: retriable by a later engine run. */
    public static class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
