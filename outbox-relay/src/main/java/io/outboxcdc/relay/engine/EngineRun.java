package io.outboxcdc.relay.engine;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.deadletter.DeadLetterPublisher;
import io.outboxcdc.relay.deadletter.DeadLetterRequests;
import io.outboxcdc.relay.engine.RelayStatus.Phase;
import io.outboxcdc.relay.engine.RunOutcome.Kind;
import io.outboxcdc.relay.leadership.RelayLeadership;
import io.outboxcdc.relay.metrics.RelayMetrics;
import io.outboxcdc.relay.preflight.PreflightFailedException;
import io.outboxcdc.relay.preflight.ReplicationPreflight;
import io.outboxcdc.relay.publish.KafkaEventPublisher;
import io.outboxcdc.relay.publish.OutboxRecordMapper;
import io.outboxcdc.relay.publish.TopicProvisioner;
import io.outboxcdc.relay.publish.UnpublishableRecordException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the Debezium engine, as leader: wait for the slot, prepare the topics, stream until the engine stops,
 * and say why it stopped. While it runs, a watchdog closes it as soon as the leadership lock is lost.
 */
final class EngineRun {

    private static final Logger log = LoggerFactory.getLogger(EngineRun.class);

    private final RelayProperties properties;
    private final ReplicationPreflight preflight;
    private final RelayLeadership leadership;
    private final RelayStatus status;
    private final RelayMetrics metrics;
    private final Admin admin;
    private final OutboxRecordMapper mapper;
    private final DeadLetterRequests deadLetters;
    private final CurrentRun current;
    private final EngineCloser closer;
    private final ScheduledExecutorService watchdog;
    private final Duration stopTimeout;

    EngineRun(RelayProperties properties, ReplicationPreflight preflight, RelayLeadership leadership,
            RelayStatus status, RelayMetrics metrics, Admin admin, DeadLetterRequests deadLetters, CurrentRun current,
            EngineCloser closer, ScheduledExecutorService watchdog, Duration stopTimeout) {
        this.properties = properties;
        this.preflight = preflight;
        this.leadership = leadership;
        this.status = status;
        this.metrics = metrics;
        this.admin = admin;
        this.mapper = new OutboxRecordMapper(properties);
        this.deadLetters = deadLetters;
        this.current = current;
        this.closer = closer;
        this.watchdog = watchdog;
        this.stopTimeout = stopTimeout;
    }

    RunOutcome run(RestartBackoff backoff) {
        status.set(Phase.STARTING, "leader, starting the engine");
        int maxMessageBytes;
        try {
            maxMessageBytes = prepare();
        } catch (PreflightFailedException e) {
            return RunOutcome.failed(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunOutcome.stopped();
        } catch (Exception e) {
            return RunOutcome.failed("cannot prepare topics: " + e, e);
        }

        AtomicReference<Throwable> engineError = new AtomicReference<>();
        AtomicReference<String> engineMessage = new AtomicReference<>();
        AtomicBoolean lostLeadership = new AtomicBoolean();
        AtomicReference<Instant> streamingSince = new AtomicReference<>();
        Properties config = DebeziumProperties.from(properties);
        OutboxBatchHandler handler = null;
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(
                KafkaEventPublisher.producerProperties(properties.kafka().bootstrapServers(), properties.producer(),
                        maxMessageBytes))) {
            handler = new OutboxBatchHandler(properties, mapper, publisher, new DeadLetterPublisher(properties),
                    deadLetters, metrics, () -> {
                        // Nothing to do here: the next batch (at the latest the next heartbeat, every
                        // heartbeat-interval) throws, and the engine stops on its own polling thread. Closing it from
                        // another thread while it polls left its replication connection open (the slot stayed busy).
                    });
            DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine = build(config, handler, streamingSince,
                    engineMessage, engineError);
            if (!current.begin(engine, handler)) {
                handler.close();
                return RunOutcome.stopped();
            }
            long checkMillis = properties.leadership().pollInterval().toMillis();
            ScheduledFuture<?> check = watchdog.scheduleWithFixedDelay(() -> {
                // Once per run: the same close as a SIGTERM's, retried while the engine still starts its task.
                if (!leadership.stillHeld() && lostLeadership.compareAndSet(false, true)) {
                    metrics.countError("leadership");
                    closer.close(engine, System.nanoTime() + stopTimeout.toNanos());
                }
            }, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
            try {
                engine.run();
            } finally {
                check.cancel(false);
                EngineCloser.closeQuietly(engine);
                handler.close();
                current.end();
            }
        } catch (RuntimeException e) {
            engineError.compareAndSet(null, e);
        }
        backoff.afterRun(streamingSince.get(), Instant.now(), properties.supervision().healthyAfter());
        return outcome(handler, engineError.get(), engineMessage.get(), lostLeadership.get());
    }

    /** @return the smallest max.message.bytes of the event topics */
    private int prepare() throws Exception {
        preflight.awaitSlotFree(properties.supervision().slotWaitTimeout());
        LeftoverEngineMetrics.remove(properties.topicPrefix());
        Set<String> topics = new HashSet<>(properties.topicForAggregateType().values());
        TopicProvisioner.ensureTopics(admin, topics, properties.topicPartitions(),
                properties.topicReplicationFactor(), properties.topicRetention());
        TopicProvisioner.ensureDeadLetterTopic(admin, properties.deadLetter().topic(),
                properties.topicReplicationFactor(), properties.deadLetter().maxMessageBytes(),
                properties.topicRetention());
        return TopicProvisioner.smallestMaxMessageBytes(admin, topics);
    }

    private DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> build(Properties config,
            OutboxBatchHandler handler, AtomicReference<Instant> streamingSince, AtomicReference<String> engineMessage,
            AtomicReference<Throwable> engineError) {
        return DebeziumEngine.create(Connect.class)
                .using(config)
                .notifying(handler)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        status.set(Phase.STREAMING, "leader, streaming");
                        streamingSince.set(Instant.now());
                        log.info("Relay streaming from slot {} ({} publishing)", properties.slotName(),
                                properties.publishing());
                    }

                    @Override
                    public void taskStopped() {
                        handler.stopCommitting();
                    }
                })
                .using((success, message, error) -> {
                    engineMessage.set(message);
                    if (!success) {
                        engineError.set(error == null ? new IllegalStateException(message) : error);
                    }
                })
                .build();
    }

    private RunOutcome outcome(OutboxBatchHandler handler, Throwable engineError, String engineMessage,
            boolean lostLeadership) {
        if (current.isStopping()) {
            return RunOutcome.stopped();
        }
        if (lostLeadership) {
            return new RunOutcome(Kind.LEADERSHIP_LOST, "leadership lost", null);
        }
        // The handler knows best: its failure names the event, even when the engine closed "successfully".
        Throwable error = handler == null ? null : handler.failure();
        if (error == null) {
            error = engineError;
        }
        UnpublishableRecordException poison = causeOf(error, UnpublishableRecordException.class);
        if (poison != null) {
            return new RunOutcome(Kind.FATAL, poison.getMessage(), poison);
        }
        if (error != null) {
            return RunOutcome.failed(rootMessage(error), error);
        }
        return RunOutcome.failed("engine stopped: " + engineMessage, null);
    }

    static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? error.toString() : error.getMessage() + " (cause: " + root + ")";
    }
}
