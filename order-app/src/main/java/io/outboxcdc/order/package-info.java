/**
 * order-app: the REST API for orders. Its one job is to change an order and record that change as exactly one
 * row in the transactional outbox, in the same PostgreSQL transaction; outbox-relay publishes the outbox
 * inserts from the WAL. This module has no Kafka client.
 */
package io.outboxcdc.order;
