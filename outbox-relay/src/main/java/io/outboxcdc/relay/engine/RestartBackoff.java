package io.outboxcdc.relay.engine;

import java.time.Duration;

/** Bounded exponential backoff between engine runs; a run that streamed for a while resets it. */
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
}
