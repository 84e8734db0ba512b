package io.outboxcdc.billing.consumer;

/**
 * Processing this one record failed on its own (its batch was split down to it) with a failure that is not
 * transient: it goes to the dead-letter topic with the reason, and its partition carries on.
 */
public class RecordRefusedException extends RuntimeException {

    private final String sqlState;

    public RecordRefusedException(String sqlState, String message, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The SQL state of the database's refusal, {@code null} when the failure was not the database's. */
    public String sqlState() {
        return sqlState;
    }
}
