package io.outboxcdc.relay.publish;

/**
 * An outbox event that can never be published as it is (too large, not serialisable, malformed). Retrying
 * cannot help and skipping would lose it, so the relay stops and says which event.
 */
public class UnpublishableRecordException extends RuntimeException {

    private final String eventId;

    public UnpublishableRecordException(String eventId, String message, Throwable cause) {
        super("outbox event " + eventId + " cannot be published: " + message, cause);
        this.eventId = eventId;
    }

    public String eventId() {
        return eventId;
    }
}
