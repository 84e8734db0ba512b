/**
 * Test-only crash points: with {@code billing.test.crash-point} set, the JVM halts (no shutdown hooks, no
 * offset commit, like a SIGKILL) at a chosen moment, so a test can prove what survives. Inert when unset.
 */
package io.outboxcdc.billing.faultinjection;
