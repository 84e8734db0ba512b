/** billing's meters: what was applied, suppressed, parked and dead-lettered, and how long it took. */
package io.outboxcdc.billing.metrics;
