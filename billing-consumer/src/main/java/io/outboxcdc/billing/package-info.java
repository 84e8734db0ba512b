/**
 * billing-consumer's one job: turn order events from Kafka into invoices, so that every event changes an
 * invoice at most once and in the order the order aggregate produced them, however often Kafka delivers it.
 */
package io.outboxcdc.billing;
