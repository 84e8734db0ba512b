package io.outboxcdc.relay.deadletter;

import io.outboxcdc.relay.RelayProperties;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The operator's way out of an event Kafka refuses: the relay stops at it ({@link #stoppedAt}); an operator
 * asks for it to be dead-lettered ({@link #approve}, from {@code POST /actuator/deadletter} or the property
 * {@code relay.dead-letter.event-ids}); the next run sends that one event to the dead-letter topic instead of
 * its topic and goes on. Never automatic: skipping an event is a decision a human takes.
 */
@Component
public class DeadLetterRequests {

    /** The event the relay stopped at, and why. */
    public record StoppedEvent(String eventId, String topic, String key, String reason, Instant since) {
    }

    private final Set<String> approved = ConcurrentHashMap.newKeySet();
    private volatile StoppedEvent stopped;

    public DeadLetterRequests(RelayProperties properties) {
        approved.addAll(properties.deadLetter().eventIds());
    }

    public synchronized void stoppedAt(StoppedEvent event) {
        stopped = event;
        notifyAll();
    }

    public Optional<StoppedEvent> stopped() {
        return Optional.ofNullable(stopped);
    }

    /** True when {@code eventId} is the event the relay stopped at: it will be dead-lettered and publishing resumes. */
    public synchronized boolean approve(String eventId) {
        StoppedEvent current = stopped;
        if (current == null || !current.eventId().equals(eventId)) {
            return false;
        }
        approved.add(eventId);
        notifyAll();
        return true;
    }

    public boolean isApproved(String eventId) {
        return approved.contains(eventId);
    }

    /** The event is on the dead-letter topic now. */
    public synchronized void deadLettered(String eventId) {
        approved.remove(eventId);
        StoppedEvent current = stopped;
        if (current != null && current.eventId().equals(eventId)) {
            stopped = null;
        }
    }

    /** Waits until the stopped event was approved, or the timeout passed (then false). */
    public synchronized boolean awaitApproval(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            StoppedEvent current = stopped;
            if (current != null && approved.contains(current.eventId())) {
                return true;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
    }
}
