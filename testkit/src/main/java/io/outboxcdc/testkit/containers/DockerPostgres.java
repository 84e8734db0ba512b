package io.outboxcdc.testkit.containers;

import io.outboxcdc.runtime.postgres.PostgresInfrastructure;
import io.outboxcdc.runtime.postgres.PostgresServer;
import io.outboxcdc.runtime.postgres.PostgresSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a container ({@code postgres:17} unless {@code -Dtestkit.postgres.image=...}) with the same server
 * settings as the embedded one ({@link PostgresSettings}) and trust authentication, like the embedded one, so the
 * superuser needs no password. The host port is fixed when the container is created: {@code docker start} after a
 * stop or a kill keeps it, so clients reconnect to the same JDBC URL.
 */
public final class DockerPostgres implements PostgresInfrastructure {

    public static final String DEFAULT_IMAGE = "postgres:17";
    private static final int POSTGRES_PORT = 5432;
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final PostgreSQLContainer container;
    private final int port;
    private final ManagedContainer managed;

    public DockerPostgres(String image, int hostPort) {
        this.port = hostPort;
        this.container = new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withUsername(PostgresServer.SUPERUSER)
                .withDatabaseName("postgres")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
        // Replaces Testcontainers' default command, which turns fsync off.
        container.setCommand(command().toArray(String[]::new));
        container.setPortBindings(List.of(hostPort + ":" + POSTGRES_PORT));
        this.managed = new ManagedContainer(container, STOP_GRACE);
    }

    /** {@code postgres -c fsync=on -c wal_level=logical ...}: the server command, as in docker-compose.yml. */
    public static List<String> command() {
        List<String> command = new ArrayList<>(List.of("postgres"));
        PostgresSettings.SERVER.forEach((key, value) -> {
            command.add("-c");
            command.add(key + "=" + value);
        });
        return command;
    }

    /** The container definition, for checks that need no Docker daemon. */
    PostgreSQLContainer container() {
        return container;
    }

    @Override
    public synchronized Duration start() {
        if (isRunning()) {
            return Duration.ZERO;
        }
        Instant begin = Instant.now();
        if (managed.startOrRestart()) {
            awaitAcceptingConnections();
        }
        return Duration.between(begin, Instant.now());
    }

    /** {@code docker stop}: the image's stop signal is SIGINT, PostgreSQL's fast shutdown. */
    @Override
    public synchronized void stop() {
        managed.stop();
    }

    /** {@code docker kill}: SIGKILL to the postmaster and, with it, to every backend of the container. */
    @Override
    public synchronized void kill() {
        managed.kill();
    }

    @Override
    public boolean isRunning() {
        return managed.isRunning();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + ContainerControl.dockerHost() + ":" + port + "/" + database;
    }

    @Override
    public DataSource superuserDataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl(database));
        ds.setUser(PostgresServer.SUPERUSER);
        return ds;
    }

    @Override
    public long pid() {
        return managed.pid();
    }

    /** Removes the container and its data. */
    @Override
    public synchronized void close() {
        managed.remove();
    }

    private void awaitAcceptingConnections() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!managed.isRunning()) {
                throw new IllegalStateException("the PostgreSQL container exited during start-up:\n" + managed.logs());
            }
            try (Connection connection = superuserDataSource("postgres").getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
                return;
            } catch (SQLException notYet) {
                last = notYet; // still in crash recovery or starting
            }
            pause();
        }
        throw new IllegalStateException("the PostgreSQL container did not accept connections within " + READY_WITHIN,
                last);
    }

    static void pause() {
        try {
            Thread.sleep(250); // polling interval of a readiness probe, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a container", e);
        }
    }
}
