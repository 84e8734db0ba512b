/**
 * Continues the W3C trace an event carries ({@code traceparent} header) into billing's log lines, so one trace
 * id links the REST request that placed the order to the invoice it produced.
 */
package io.outboxcdc.billing.tracing;
