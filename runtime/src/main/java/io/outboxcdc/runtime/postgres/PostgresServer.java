package io.outboxcdc.runtime.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven Central, via zonky) with logical decoding on and durable
 * settings, on a data directory that survives stop, kill and start.
 *
 * <p>zonky turns fsync and synchronous commit off; both are turned back on here: a crash test on a database
 * that may lose committed transactions proves nothing, and with asynchronous commit logical decoding sees a
 * commit only after the WAL writer flushes (~200 ms later).
 */
public final class PostgresServer implements PostgresInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    public static final String SUPERUSER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private volatile EmbeddedPostgres postgres;

    public PostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory.toAbsolutePath();
        this.port = port;
    }

    /** Starts the server (running initdb on an empty data directory). Returns the start-up time. */
    @Override
    public synchronized Duration start() {
        if (postgres != null) {
            return Duration.ZERO;
        }
        Instant begin = Instant.now();
        stopLeftoverPostmaster();
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60));
            PostgresSettings.SERVER.forEach(builder::setServerConfig);
            // The server's own log goes to <data>/log/ (zonky would pass it through this JVM's logger).
            postgres = builder.setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", "log")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on port " + port + " with data in "
                    + dataDirectory + " (is the port taken?)", e);
        }
        return Duration.between(begin, Instant.now());
    }

    /** Fast shutdown (pg_ctl stop -m fast): clients are disconnected, nothing committed is lost. */
    @Override
    public synchronized void stop() {
        EmbeddedPostgres running = postgres;
        postgres = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * SIGKILL of the postmaster and every backend, like a power cut for this server: the next start runs
     * crash recovery from the WAL.
     */
    @Override
    public synchronized void kill() {
        postmasterPid().flatMap(ProcessHandle::of).ifPresent(PostgresServer::killTree);
        // Releases zonky's lock file; its pg_ctl stop finds no server and only logs that.
        stop();
    }

    @Override
    public Duration restart() {
        stop();
        return start();
    }

    @Override
    public boolean isRunning() {
        return postgres != null;
    }

    @Override
    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** A connection source as the superuser (local trust authentication); for provisioning and checks. */
    @Override
    public DataSource superuserDataSource(String database) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(jdbcUrl(database));
        ds.setUser(SUPERUSER);
        return ds;
    }

    @Override
    public void execute(String database, String... statements) {
        try (Connection connection = superuserDataSource(database).getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + List.of(statements), e);
        }
    }

    @Override
    public long pid() {
        return isRunning() ? postmasterPid().orElse(-1L) : -1L;
    }

    public Optional<Long> postmasterPid() {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A postmaster left behind by a JVM that died without stopping it would hold the port and the data. */
    private void stopLeftoverPostmaster() {
        postmasterPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(handle -> {
            log.warn("Killing a leftover PostgreSQL (pid {}) on {}", handle.pid(), dataDirectory);
            killTree(handle);
        });
    }

    private static void killTree(ProcessHandle postmaster) {
        List<ProcessHandle> backends = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        backends.forEach(b -> b.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    @Override
    public void close() {
        stop();
    }
}
