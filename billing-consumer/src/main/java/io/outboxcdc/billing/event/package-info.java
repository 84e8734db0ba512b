/**
 * The event contract as billing reads it: headers plus a schemaVersion 1 payload, validated strictly, so that
 * anything billing cannot apply is recognised as poison before it reaches the database.
 */
package io.outboxcdc.billing.event;
