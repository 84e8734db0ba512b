package io.outboxcdc.testkit;

import java.time.Duration;

/**
 * Keeps a condition for a set time: a fault under test (see {@link io.outboxcdc.testkit.faults.Outage}) or a
 * fixed measurement window. Never a wait for a result: tests wait for results with bounded conditions
 * (Awaitility).
 */
public final class Hold {

    private Hold() {
    }

    /** @param what said in the error if the hold is interrupted */
    public static void forDuration(Duration duration, String what) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what + " (" + duration + ")", e);
        }
    }
}
