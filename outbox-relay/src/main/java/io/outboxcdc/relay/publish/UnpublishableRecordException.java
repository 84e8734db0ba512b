package io.outboxcdc.relay.publish;

/**
 * An outbox event that can never be published as it is (too large, not serialisable, malformed). Retrying
 * cannot help and skipping would lose it, so the relay stops and says which event; an operator may move it
 * to the dead-letter topic (outbox-relay README, "An event Kafka refuses").
 */
public class UnpublishableRecordException extends RuntimeException {

    private final String eventId;
    private final String topic;
    private final String key;
    private final String reason;

    public UnpublishableRecordException(String eventId, String reason, Throwable cause) {
        this(eventId, null, null, reason, "outbox event " + eventId + " cannot be published: " + reason, cause);
    }

    public UnpublishableRecordException(String eventId, String topic, String key, String reason, String message,
            Throwable cause) {
        super(message, cause);
        this.eventId = eventId;
        this.topic = topic;
        this.key = key;
        this.reason = reason;
    }

    public String eventId() {
        return eventId;
    }

    public String topic() {
        return topic;
    }

    public String key() {
        return key;
    }

    /** Why Kafka (or the relay) refuses it, in one line. */
    public String reason() {
        return reason;
    }
}
