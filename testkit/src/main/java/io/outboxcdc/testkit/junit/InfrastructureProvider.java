package io.outboxcdc.testkit.junit;

import java.util.Locale;

/**
 * Where the tests' PostgreSQL and Kafka run. The default needs no Docker; {@code -Dinfra=containers} (or the
 * environment variable {@code OUTBOXCDC_INFRA=containers}) runs the same tests against Testcontainers.
 */
public enum InfrastructureProvider {

    /** PostgreSQL binaries from Maven Central (zonky) and the Kafka broker as a child process: no Docker. */
    EMBEDDED,
    /** {@code postgres:17} and {@code apache/kafka} containers through Testcontainers: needs a Docker daemon. */
    CONTAINERS;

    public static final String PROPERTY = "infra";
    public static final String ENVIRONMENT_VARIABLE = "OUTBOXCDC_INFRA";

    /** The provider chosen by the {@code infra} system property, else the environment, else {@link #EMBEDDED}. */
    public static InfrastructureProvider selected() {
        return parse(System.getProperty(PROPERTY, System.getenv(ENVIRONMENT_VARIABLE)));
    }

    static InfrastructureProvider parse(String value) {
        if (value == null || value.isBlank()) {
            return EMBEDDED;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "embedded", "local", "docker-free" -> EMBEDDED;
            case "containers", "container", "testcontainers", "docker" -> CONTAINERS;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + " is not a known infrastructure provider: use 'embedded' (the default, no Docker) or 'containers'");
        };
    }
}
