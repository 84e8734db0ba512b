/**
 * The relay's connector for a Kafka Connect cluster (issue 17): the same Debezium configuration as the embedded
 * relay, with its routing as a transformation chain, and the command that prints it as Connect's JSON.
 */
package io.outboxcdc.relay.connect;
