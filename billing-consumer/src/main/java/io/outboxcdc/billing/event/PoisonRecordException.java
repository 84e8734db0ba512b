package io.outboxcdc.billing.event;

/**
 * The record can never be applied, however often it is retried: it goes to the dead-letter topic at once.
 * Thrown only while reading a record, never once the database is involved, so a database failure can never be
 * mistaken for poison.
 */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
