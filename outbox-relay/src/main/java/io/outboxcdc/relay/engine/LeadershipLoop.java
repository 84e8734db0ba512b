package io.outboxcdc.relay.engine;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.deadletter.DeadLetterRequests;
import io.outboxcdc.relay.engine.RelayStatus.Phase;
import io.outboxcdc.relay.leadership.RelayLeadership;
import io.outboxcdc.relay.metrics.RelayMetrics;
import io.outboxcdc.relay.publish.UnpublishableRecordException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's own thread until it stops: standby until it holds the leadership lock, then one engine run after
 * another. A failed run restarts after a bounded exponential back-off, in-process (a broker outage must not turn
 * into a crash loop of the JVM); an event Kafka refuses waits for an operator; a lost lock goes back to standby.
 */
final class LeadershipLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LeadershipLoop.class);

    private final RelayProperties properties;
    private final RelayLeadership leadership;
    private final RelayStatus status;
    private final RelayMetrics metrics;
    private final DeadLetterRequests deadLetters;
    private final EngineRun engineRun;
    private final CurrentRun current;
    private final CountDownLatch stopSignal;

    LeadershipLoop(RelayProperties properties, RelayLeadership leadership, RelayStatus status, RelayMetrics metrics,
            DeadLetterRequests deadLetters, EngineRun engineRun, CurrentRun current, CountDownLatch stopSignal) {
        this.properties = properties;
        this.leadership = leadership;
        this.status = status;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.engineRun = engineRun;
        this.current = current;
        this.stopSignal = stopSignal;
    }

    @Override
    public void run() {
        RestartBackoff backoff = new RestartBackoff(properties.supervision().initialBackoff(),
                properties.supervision().maxBackoff());
        while (!current.isStopping()) {
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
            RunOutcome outcome = engineRun.run(backoff);
            if (current.isStopping()) {
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
        while (!current.isStopping()) {
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

    private void pause(Duration duration) {
        try {
            stopSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
