package io.outboxcdc.testkit.containers;

import org.testcontainers.DockerClientFactory;

/** The one check made before any container is created: without a Docker daemon, fail at once and say why. */
public final class DockerAvailability {

    private DockerAvailability() {
    }

    public static boolean isAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    public static void require() {
        if (!isAvailable()) {
            throw new IllegalStateException(
                    "-Dinfra=containers selects the Testcontainers provider, but no Docker daemon is reachable "
                    + "(Testcontainers looked at DOCKER_HOST, ~/.testcontainers.properties and the default socket; "
                    + "its log above says what it tried). Start Docker or point DOCKER_HOST at one, or run without "
                    + "-Dinfra=containers to use the Docker-free PostgreSQL and Kafka processes.");
        }
    }
}
