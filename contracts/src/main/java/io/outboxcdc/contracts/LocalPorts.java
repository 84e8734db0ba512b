package io.outboxcdc.contracts;

/**
 * Where the local stack's PostgreSQL and Kafka listen unless told otherwise ({@code ./outbox-cdc up}, the
 * services' defaults, docker-compose.yml's host ports). The {@code *_TEXT} forms are compile-time constants for
 * annotations such as {@code @DefaultValue}.
 */
public final class LocalPorts {

    public static final int POSTGRES = 15432;
    public static final String POSTGRES_TEXT = "" + POSTGRES;
    public static final int KAFKA = 19092;
    public static final int KAFKA_CONTROLLER = 19093;
    /** The local broker as a client's {@code bootstrap.servers}. */
    public static final String KAFKA_BOOTSTRAP_SERVERS = "127.0.0.1:" + KAFKA;

    private LocalPorts() {
    }
}
