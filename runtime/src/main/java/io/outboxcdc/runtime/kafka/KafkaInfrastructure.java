package io.outboxcdc.runtime.kafka;

import java.time.Duration;

/**
 * A real single-node KRaft Kafka broker, whatever runs it: the Docker-free {@link KafkaBroker} process or a
 * container. Failure injection goes through this interface: {@link #stop()} is a controlled shutdown
 * (SIGTERM), {@link #kill()} a SIGKILL, and {@link #start()} brings the same log back on the same port.
 */
public interface KafkaInfrastructure extends AutoCloseable {

    /** Starts the broker (a no-op if it runs) and waits until it serves metadata. Returns the start-up time. */
    Duration start();

    void stop();

    void kill();

    boolean isRunning();

    /** {@code host:port} of the listener clients use; it stays the same across stop, kill and start. */
    String bootstrapServers();

    int port();

    /** The broker's process id as seen from this machine, or -1 when it is not running (or not visible). */
    long pid();

    @Override
    default void close() {
        stop();
    }
}
