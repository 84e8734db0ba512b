package io.outboxcdc.relay.engine;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.deadletter.DeadLetterPublisher;
import io.outboxcdc.relay.deadletter.DeadLetterRequests;
import io.outboxcdc.relay.engine.RelayStatus.Phase;
import io.outboxcdc.relay.leadership.RelayLeadership;
import io.outboxcdc.relay.metrics.RelayMetrics;
import io.outboxcdc.relay.preflight.PreflightFailedException;
import io.outboxcdc.relay.preflight.ReplicationPreflight;
import io.outboxcdc.relay.publish.KafkaEventPublisher;
import io.outboxcdc.relay.publish.OutboxRecordMapper;
import io.outboxcdc.relay.publish.TopicProvisioner;
import io.outboxcdc.relay.publish.UnpublishableRecordException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the relay: preflight, then (on its own thread) wait for leadership, start the Debezium engine, and when
 * a run fails restart it after a bounded exponential backoff, in-process: a broker outage must not turn into
 * a crash loop of the JVM. An event Kafka refuses stops publishing at it (health DOWN) until an operator moves it
 * to the dead-letter topic (DeadLetterRequests).
 * Stop (SIGTERM) closes the engine, which finishes and commits the in-flight batch, then closes the producer
 * and releases the lock, in that order.
 */
@Component
public class RelaySupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelaySupervisor.class);
    private static final long CLOSE_RETRY_MILLIS = 100;

    private final RelayProperties properties;
    private final ReplicationPreflight preflight;
    private final RelayLeadership leadership;
    private final RelayStatus status;
    private final RelayMetrics metrics;
    private final Admin admin;
    private final OutboxRecordMapper mapper;
    private final DeadLetterRequests deadLetters;
    /**
     * How long a stop may take: {@code spring.lifecycle.timeout-per-shutdown-phase} (50 s in application.yml), below
     * the orchestrator's grace period (60 s in the fault suite and docker-compose.yml, derived from it), so the lock
     * is released before SIGKILL.
     */
    private final Duration stopTimeout;

    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Object engineLock = new Object();
    private volatile boolean running;
    private boolean stopping;
    private DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> currentEngine;
    private OutboxBatchHandler currentHandler;
    private Thread supervisor;
    private ScheduledExecutorService watchdog;

    public RelaySupervisor(RelayProperties properties, ReplicationPreflight preflight, RelayLeadership leadership,
            RelayStatus status, RelayMetrics metrics, Admin admin, DeadLetterRequests deadLetters,
            LifecycleProperties lifecycle) {
        this.properties = properties;
        this.stopTimeout = lifecycle.getTimeoutPerShutdownPhase();
        this.deadLetters = deadLetters;
        this.preflight = preflight;
        this.leadership = leadership;
        this.status = status;
        this.metrics = metrics;
        this.admin = admin;
        this.mapper = new OutboxRecordMapper(properties);
    }

    @Override
    public void start() {
        // Misconfiguration fails the start-up with a clear message instead of a Debezium stack trace later.
        preflight.checkConfiguration();
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "relay-leadership-watchdog"));
        supervisor = new Thread(this::supervise, "relay-supervisor");
        running = true;
        supervisor.start();
    }

    @Override
    public void stop() {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
        OutboxBatchHandler handler;
        synchronized (engineLock) {
            stopping = true;
            engine = currentEngine;
            handler = currentHandler;
            if (engine == null) {
                // No engine runs (standby pause, slot wait, topic set-up): wake the supervisor from any wait.
                supervisor.interrupt();
            }
        }
        stopSignal.countDown();
        log.info("Stopping the relay");
        if (engine != null) {
            if (handler != null) {
                // Everything sent is acknowledged and committed before the engine's own final commit.
                handler.finishInFlight();
                handler.stopCommitting();
            }
            closeEngine(engine, deadline);
        }
        try {
            supervisor.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (supervisor.isAlive()) {
            log.warn("The relay engine did not stop within {}; releasing the lock anyway", stopTimeout);
        }
        watchdog.shutdownNow();
        leadership.release();
        metrics.leader(false);
        status.set(Phase.STOPPED, "stopped");
        running = false;
        log.info("Relay stopped");
    }

    /**
     * Debezium refuses {@code close()} while the engine starts its task (it throws: the task opens connections that
     * a concurrent stop would leak, DBZ-2534), and a SIGTERM right after a start or a takeover lands exactly there.
     * Swallowing that refusal left the engine streaming and the shutdown hook waiting for it until SIGKILL; so the
     * close is retried until the engine accepts it or its run has ended. A close accepted while polling still lets
     * the in-flight batch finish and commit.
     */
    private void closeEngine(DebeziumEngine<?> engine, long deadline) {
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                // Tasks still starting (retry), or the engine already stopping by itself (its run ends anyway).
                log.debug("Engine not closable yet: {}", e.getMessage());
            } catch (IOException | RuntimeException e) {
                log.warn("Closing the engine failed: {}", e.toString());
                return;
            }
            synchronized (engineLock) {
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (currentEngine != engine || leftMillis <= 0) {
                    return;
                }
                try {
                    engineLock.wait(Math.min(leftMillis, CLOSE_RETRY_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void supervise() {
        RestartBackoff backoff = new RestartBackoff(properties.supervision().initialBackoff(),
                properties.supervision().maxBackoff());
        while (!isStopping()) {
            if (!leadership.tryAcquire()) {
                metrics.leader(false);
                if (status.phase() != Phase.STANDBY) {
                    status.set(Phase.STANDBY, "standby: another relay holds the leadership lock");
                    log.info("Standby: another relay is active; trying again every {}",
                            properties.leadership().pollInterval());
                }
                pause(properties.leadership().pollInterval());
                continue;
            }
            metrics.leader(true);
            RunOutcome outcome = runOnce(backoff);
            if (isStopping()) {
                break;
            }
            switch (outcome.kind()) {
                case FATAL -> awaitOperator(outcome);
                case LEADERSHIP_LOST -> {
                    metrics.leader(false);
                    status.set(Phase.STANDBY, "leadership lost; standby");
                }
                case FAILED -> {
                    metrics.countError("engine");
                    Duration wait = backoff.next();
                    status.set(Phase.RECOVERING, "engine failed, restarting in " + wait + ": " + outcome.message());
                    log.warn("Relay engine failed ({}); restarting in {}", outcome.message(), wait, outcome.error());
                    pause(wait);
                }
                case STOPPED -> pause(properties.supervision().initialBackoff());
            }
        }
    }

    /**
     * Kafka refuses an event: publishing stays stopped at it (health DOWN, phase FAILED, the event named) until an
     * operator moves it to the dead-letter topic; then the next run does that and goes on. The lock is kept: a
     * standby would only stop at the same event.
     */
    private void awaitOperator(RunOutcome outcome) {
        metrics.countError("fatal");
        UnpublishableRecordException refused = (UnpublishableRecordException) outcome.error();
        deadLetters.stoppedAt(new DeadLetterRequests.StoppedEvent(refused.eventId(), refused.topic(), refused.key(),
                refused.reason(), Instant.now()));
        status.set(Phase.FAILED, outcome.message() + ". Way out: POST /actuator/deadletter {\"eventId\":\""
                + refused.eventId() + "\"} moves it to " + properties.deadLetter().topic() + " and resumes");
        log.error("RELAY STOPPED: {}. Nothing after this event is published until an operator moves it to the "
                + "dead-letter topic (POST /actuator/deadletter {\"eventId\":\"{}\"}, or "
                + "relay.dead-letter.event-ids at start) or fixes the cause and restarts; health stays DOWN.",
                outcome.message(), refused.eventId(), outcome.error());
        while (!isStopping()) {
            try {
                if (deadLetters.awaitApproval(properties.leadership().pollInterval().toMillis())) {
                    log.warn("Operator asked to dead-letter outbox event {}; resuming", refused.eventId());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!leadership.stillHeld()) {
                metrics.leader(false);
                status.set(Phase.STANDBY, "leadership lost while stopped at outbox event " + refused.eventId());
                return;
            }
        }
    }

    private RunOutcome runOnce(RestartBackoff backoff) {
        status.set(Phase.STARTING, "leader, starting the engine");
        int maxMessageBytes;
        try {
            preflight.awaitSlotFree(properties.supervision().slotWaitTimeout());
            LeftoverEngineMetrics.remove(properties.topicPrefix());
            Set<String> topics = new HashSet<>(properties.topicForAggregateType().values());
            TopicProvisioner.ensureTopics(admin, topics, properties.topicPartitions(),
                    properties.topicReplicationFactor(), properties.topicRetention());
            TopicProvisioner.ensureDeadLetterTopic(admin, properties.deadLetter().topic(),
                    properties.topicReplicationFactor(), properties.deadLetter().maxMessageBytes(),
                    properties.topicRetention());
            maxMessageBytes = TopicProvisioner.smallestMaxMessageBytes(admin, topics);
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
            OutboxBatchHandler runHandler = handler;
            DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine = DebeziumEngine.create(Connect.class)
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
                            runHandler.stopCommitting();
                        }
                    })
                    .using((success, message, error) -> {
                        engineMessage.set(message);
                        if (!success) {
                            engineError.set(error == null ? new IllegalStateException(message) : error);
                        }
                    })
                    .build();
            synchronized (engineLock) {
                if (stopping) {
                    handler.close();
                    return RunOutcome.stopped();
                }
                currentEngine = engine;
                currentHandler = handler;
            }
            long checkMillis = properties.leadership().pollInterval().toMillis();
            ScheduledFuture<?> check = watchdog.scheduleWithFixedDelay(() -> {
                // Once per run: the same close as a SIGTERM's, retried while the engine still starts its task.
                if (!leadership.stillHeld() && lostLeadership.compareAndSet(false, true)) {
                    metrics.countError("leadership");
                    closeEngine(engine, System.nanoTime() + stopTimeout.toNanos());
                }
            }, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
            try {
                engine.run();
            } finally {
                check.cancel(false);
                closeQuietly(engine);
                handler.close();
                synchronized (engineLock) {
                    currentEngine = null;
                    currentHandler = null;
                    engineLock.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            engineError.compareAndSet(null, e);
        }
        backoff.afterRun(streamingSince.get(), Instant.now(), properties.supervision().healthyAfter());
        if (isStopping()) {
            return RunOutcome.stopped();
        }
        if (lostLeadership.get()) {
            return new RunOutcome(Kind.LEADERSHIP_LOST, "leadership lost", null);
        }
        // The handler knows best: its failure names the event, even when the engine closed "successfully".
        Throwable error = handler == null ? null : handler.failure();
        if (error == null) {
            error = engineError.get();
        }
        UnpublishableRecordException poison = causeOf(error, UnpublishableRecordException.class);
        if (poison != null) {
            return new RunOutcome(Kind.FATAL, poison.getMessage(), poison);
        }
        if (error != null) {
            return RunOutcome.failed(rootMessage(error), error);
        }
        return RunOutcome.failed("engine stopped: " + engineMessage.get(), null);
    }

    private boolean isStopping() {
        synchronized (engineLock) {
            return stopping;
        }
    }

    private void pause(Duration duration) {
        try {
            stopSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(DebeziumEngine<?> engine) {
        try {
            engine.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing the engine: {}", e.toString());
        }
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

    private enum Kind { FATAL, FAILED, LEADERSHIP_LOST, STOPPED }

    private record RunOutcome(Kind kind, String message, Throwable error) {
        static RunOutcome failed(String message, Throwable error) {
            return new RunOutcome(Kind.FAILED, message, error);
        }

        static RunOutcome stopped() {
            return new RunOutcome(Kind.STOPPED, "stopped", null);
        }
    }
}
