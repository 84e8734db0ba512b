package io.outboxcdc.relay.preflight;

/** The database is not set up for the relay; the message says what is wrong and how to fix it. */
public class PreflightFailedException extends RuntimeException {

    public PreflightFailedException(String message) {
        super(message);
    }

    public PreflightFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
