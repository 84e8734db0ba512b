/**
 * The inbox ({@code processed_events}): one row per event id ever taken in, written in the same transaction as
 * the effect, which is what turns Kafka's at-least-once delivery into "applied once".
 */
package io.outboxcdc.billing.inbox;
