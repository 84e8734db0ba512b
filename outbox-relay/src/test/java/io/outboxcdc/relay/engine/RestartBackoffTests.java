package io.outboxcdc.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 12 point 4: the backoff resets only after a period of healthy streaming, not when the task starts. */
class RestartBackoffTests {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration HEALTHY_AFTER = Duration.ofSeconds(30);

    @Test
    void aRunThatFailsSoonAfterItsTaskStartedKeepsBackingOff() {
        RestartBackoff backoff = grown();
        backoff.afterRun(T0, T0.plusSeconds(2), HEALTHY_AFTER);
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aRunThatNeverStreamedKeepsBackingOff() {
        RestartBackoff backoff = grown();
        backoff.afterRun(null, T0, HEALTHY_AFTER);
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aRunThatStreamedLongEnoughResetsIt() {
        RestartBackoff backoff = grown();
        backoff.afterRun(T0, T0.plus(HEALTHY_AFTER), HEALTHY_AFTER);
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }

    /** 1 s, 2 s, 4 s taken: the next is 8 s. */
    private static RestartBackoff grown() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        backoff.next();
        backoff.next();
        backoff.next();
        return backoff;
    }
}
