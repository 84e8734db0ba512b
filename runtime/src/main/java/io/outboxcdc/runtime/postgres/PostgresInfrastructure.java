package io.outboxcdc.runtime.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server with logical decoding on, whatever runs it: the Docker-free {@link PostgresServer}
 * or a container. Failure injection goes through this interface: {@link #stop()} is a fast shutdown,
 * {@link #kill()} a SIGKILL, and {@link #start()} brings the same data back on the same port.
 */
public interface PostgresInfrastructure extends AutoCloseable {

    /** Starts the server (a no-op if it runs). Returns the start-up time. */
    Duration start();

    /** Fast shutdown: clients are disconnected, nothing committed is lost. */
    void stop();

    /** SIGKILL of the server: the next start runs crash recovery from the WAL. */
    void kill();

    default Duration restart() {
        stop();
        return start();
    }

    boolean isRunning();

    /** The port clients connect to; it stays the same across stop, kill and start. */
    int port();

    String jdbcUrl(String database);

    /** A connection source as the superuser {@link PostgresServer#SUPERUSER}; for provisioning and checks. */
    DataSource superuserDataSource(String database);

    default void execute(String database, String... statements) {
        try (Connection connection = superuserDataSource(database).getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + List.of(statements), e);
        }
    }

    /** The server's process id as seen from this machine, or -1 when it is not running (or not visible). */
    long pid();

    @Override
    default void close() {
        stop();
    }
}
