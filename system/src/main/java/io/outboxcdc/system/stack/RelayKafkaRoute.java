package io.outboxcdc.system.stack;

/**
 * The relay's way to Kafka through something in between, e.g. a test's proxy that cuts the network: the broker
 * listens for the relay on {@code brokerPort} and advertises {@code relayPort}, where the relay connects. Whoever
 * put the thing in between owns it (and closes it); the stack only routes the relay there.
 */
public record RelayKafkaRoute(int brokerPort, int relayPort) {
}
