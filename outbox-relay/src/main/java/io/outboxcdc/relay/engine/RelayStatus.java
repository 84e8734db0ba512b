package io.outboxcdc.relay.engine;

import java.time.Instant;
import org.springframework.stereotype.Component;

/** What the relay is doing now; read by the health indicator. */
@Component
public class RelayStatus {

    public enum Phase {
        /** Preflight done, waiting for the leadership lock: healthy. */
        STANDBY,
        /** Leader, engine starting. */
        STARTING,
        /** Leader, engine streaming. */
        STREAMING,
        /** Leader, the last engine run failed; restarting after a backoff. */
        RECOVERING,
        /** Stopped for good: an event cannot be published; needs a human. */
        FAILED,
        STOPPED
    }

    private volatile Phase phase = Phase.STARTING;
    private volatile String detail = "starting";
    private volatile Instant since = Instant.now();

    public void set(Phase newPhase, String newDetail) {
        phase = newPhase;
        detail = newDetail;
        since = Instant.now();
    }

    public Phase phase() {
        return phase;
    }

    public String detail() {
        return detail;
    }

    public Instant since() {
        return since;
    }
}
