/**
 * Applies each order's events strictly in {@code aggregateSequence} order: the next one applies, an early one
 * is parked until its predecessors arrive, an old one changes nothing. One database transaction per batch (a partition's records of one poll),
 * decided in memory by {@link io.outboxcdc.billing.ordering.BatchPlanner} and written with multi-row statements.
 */
package io.outboxcdc.billing.ordering;
