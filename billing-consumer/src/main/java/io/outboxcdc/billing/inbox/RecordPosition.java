package io.outboxcdc.billing.inbox;

/** Where a record came from, kept in the inbox so an operator can find the record again. */
public record RecordPosition(String topic, int partition, long offset) {
}
