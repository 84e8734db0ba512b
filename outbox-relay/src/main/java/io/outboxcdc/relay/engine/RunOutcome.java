package io.outboxcdc.relay.engine;

/** How one engine run ended, and so what the leadership loop does next. */
record RunOutcome(Kind kind, String message, Throwable error) {

    enum Kind {
        /** Kafka refused an event: wait for an operator. */
        FATAL,
        /** Restart after a back-off. */
        FAILED,
        /** Another relay may lead now: back to standby. */
        LEADERSHIP_LOST,
        /** The relay stops. */
        STOPPED
    }

    static RunOutcome failed(String message, Throwable error) {
        return new RunOutcome(Kind.FAILED, message, error);
    }

    static RunOutcome stopped() {
        return new RunOutcome(Kind.STOPPED, "stopped", null);
    }
}
