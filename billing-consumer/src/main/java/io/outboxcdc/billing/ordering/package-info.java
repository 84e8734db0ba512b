/**
 * Applies each order's events strictly in {@code aggregateSequence} order: the next one applies, an early one
 * is parked until its predecessors arrive, an old one changes nothing. One database transaction per record.
 */
package io.outboxcdc.billing.ordering;
