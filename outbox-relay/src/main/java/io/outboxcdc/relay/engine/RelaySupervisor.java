package io.outboxcdc.relay.engine;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.deadletter.DeadLetterRequests;
import io.outboxcdc.relay.engine.RelayStatus.Phase;
import io.outboxcdc.relay.leadership.RelayLeadership;
import io.outboxcdc.relay.metrics.RelayMetrics;
import io.outboxcdc.relay.preflight.ReplicationPreflight;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The relay's lifecycle. Start: preflight, then the {@link LeadershipLoop} on its own thread (standby or leader,
 * one {@link EngineRun} after another). Stop (SIGTERM): the in-flight batch is finished and committed, the engine
 * closed ({@link EngineCloser}), then the producer closes and the lock is released, in that order, within the
 * stop timeout.
 */
@Component
public class RelaySupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelaySupervisor.class);

    private final RelayProperties properties;
    private final ReplicationPreflight preflight;
    private final RelayLeadership leadership;
    private final RelayStatus status;
    private final RelayMetrics metrics;
    private final Admin admin;
    private final DeadLetterRequests deadLetters;
    /**
     * How long a stop may take: {@code spring.lifecycle.timeout-per-shutdown-phase} (50 s in application.yml), below
     * the orchestrator's grace period (60 s in the fault suite and docker-compose.yml, derived from it), so the lock
     * is released before SIGKILL.
     */
    private final Duration stopTimeout;

    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CurrentRun current = new CurrentRun();
    private final EngineCloser closer = new EngineCloser(current);
    private volatile boolean running;
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
    }

    @Override
    public void start() {
        // Misconfiguration fails the start-up with a clear message instead of a Debezium stack trace later.
        preflight.checkConfiguration();
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "relay-leadership-watchdog"));
        EngineRun engineRun = new EngineRun(properties, preflight, leadership, status, metrics, admin, deadLetters,
                current, closer, watchdog, stopTimeout);
        supervisor = new Thread(new LeadershipLoop(properties, leadership, status, metrics, deadLetters, engineRun,
                current, stopSignal), "relay-supervisor");
        running = true;
        supervisor.start();
    }

    @Override
    public void stop() {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        CurrentRun.Running run = current.stop();
        if (run.engine() == null) {
            // No engine runs (standby pause, slot wait, topic set-up): wake the supervisor from any wait.
            supervisor.interrupt();
        }
        stopSignal.countDown();
        log.info("Stopping the relay");
        if (run.engine() != null) {
            if (run.handler() != null) {
                // Everything sent is acknowledged and committed before the engine's own final commit.
                run.handler().finishInFlight();
                run.handler().stopCommitting();
            }
            closer.close(run.engine(), deadline);
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

    @Override
    public boolean isRunning() {
        return running;
    }
}
