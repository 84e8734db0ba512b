/**
 * The Kafka side: a batch listener whose offsets are committed only after the batch's database transaction
 * committed; poison records and records the database refuses on their own go to the dead-letter topic, transient
 * failures are retried with back-off; health reports stuck partitions and records deleted before billing read them.
 */
package io.outboxcdc.billing.consumer;
