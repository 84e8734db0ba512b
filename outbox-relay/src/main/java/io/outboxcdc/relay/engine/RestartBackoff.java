package io.outboxcdc.relay.engine;

import java.time.Duration;
import java.time.Instant;

/** Bounded exponential backoff between engine runs; only a run that streamed healthily for a while resets it. */
public final class RestartBackoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    public RestartBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    public void reset() {
        next = initial;
    }

    /**
     * After a run: back to the initial wait only if the run streamed for at least {@code healthyAfter}; a run that
     * failed right after its task started (or never started) keeps the backoff growing.
     */
    public void afterRun(Instant streamingSince, Instant ended, Duration healthyAfter) {
        if (streamingSince != null && Duration.between(streamingSince, ended).compareTo(healthyAfter) >= 0) {
            reset();
        }
    }
}
