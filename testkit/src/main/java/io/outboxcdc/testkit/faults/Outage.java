package io.outboxcdc.testkit.faults;

import io.outboxcdc.testkit.Hold;
import java.time.Duration;

/**
 * Keeps an injected fault in place for a set time (a broker down for 15 s, a network cut for 10 s). This is
 * the length of the outage under test, not a wait for a result: tests wait for results with bounded
 * conditions (Awaitility), never with this.
 */
public final class Outage {

    private Outage() {
    }

    public static void holdFor(Duration outage) {
        Hold.forDuration(outage, "an outage");
    }
}
