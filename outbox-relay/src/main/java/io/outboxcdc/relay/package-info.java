/**
 * outbox-relay: the one process that reads committed outbox rows from PostgreSQL's WAL (embedded Debezium,
 * pgoutput) and publishes them to Kafka at least once, in per-aggregate order, committing the source offset
 * only after Kafka acknowledged every earlier event. One instance streams; others wait as standbys.
 */
package io.outboxcdc.relay;
