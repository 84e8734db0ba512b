package io.outboxcdc.billing.faultinjection;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Halts the JVM at {@code billing.test.crash-point} = {@code before-db-commit} (inside the transaction, after
 * every write of a new event) or {@code after-db-commit} (the transaction committed, the Kafka offset not).
 */
@Component
public class CrashPoint {

    /** Exit status of a process ended by SIGKILL (128 + 9): the halt stands in for one. */
    public static final int HALT_STATUS = 137;

    private static final Logger log = LoggerFactory.getLogger(CrashPoint.class);

    private final Moment moment;

    public CrashPoint(@Value("${billing.test.crash-point:}") String moment) {
        this.moment = Moment.parse(moment);
        if (this.moment != Moment.NONE) {
            log.warn("Crash point armed: the JVM halts {} of the first new event", this.moment);
        }
    }

    public void beforeDbCommit() {
        haltIf(Moment.BEFORE_DB_COMMIT);
    }

    public void afterDbCommit() {
        haltIf(Moment.AFTER_DB_COMMIT);
    }

    private void haltIf(Moment now) {
        if (moment == now) {
            log.warn("Crash point {} reached: halting", now);
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }

    enum Moment {
        NONE, BEFORE_DB_COMMIT, AFTER_DB_COMMIT;

        static Moment parse(String value) {
            if (value == null || value.isBlank()) {
                return NONE;
            }
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
