/**
 * The Kafka side: a listener container that commits a record's offset only after its database transaction
 * committed, retries transient failures for ever, and sends poison records to the dead-letter topic.
 */
package io.outboxcdc.billing.consumer;
