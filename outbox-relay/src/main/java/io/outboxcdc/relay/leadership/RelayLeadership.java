package io.outboxcdc.relay.leadership;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.database.RelayDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Single active relay: the leader holds a session-level PostgreSQL advisory lock on a dedicated connection.
 * The lock disappears with the session, so a leader that dies (SIGKILL, power cut, network) frees it at
 * once and a standby polling {@link #tryAcquire()} takes over. The replication slot itself admits only one
 * reader, so even a leader that has not yet noticed the loss of its lock cannot stream in parallel.
 */
@Component
public class RelayLeadership {

    private static final Logger log = LoggerFactory.getLogger(RelayLeadership.class);

    private final RelayDatabase database;
    private final long lockKey;
    private Connection lockConnection;

    public RelayLeadership(RelayDatabase database, RelayProperties properties) {
        this.database = database;
        this.lockKey = properties.leadership().lockKey();
    }

    /** One attempt; true when this instance holds the lock (now or already). */
    public synchronized boolean tryAcquire() {
        if (lockConnection != null) {
            return true;
        }
        Connection connection = null;
        try {
            connection = database.connect();
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, lockKey);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next() && rows.getBoolean(1)) {
                        lockConnection = connection;
                        log.info("Leadership acquired (advisory lock {} on {})", lockKey, database.url());
                        return true;
                    }
                }
            }
        } catch (SQLException e) {
            log.warn("Could not try the leadership lock: {}", e.getMessage());
        }
        closeQuietly(connection);
        return false;
    }

    /** Whether the lock session is still alive; false means leadership is lost and streaming must stop. */
    public synchronized boolean stillHeld() {
        if (lockConnection == null) {
            return false;
        }
        try (Statement statement = lockConnection.createStatement()) {
            statement.setQueryTimeout(5);
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            log.error("Leadership lost: the lock session failed ({})", e.getMessage());
            closeQuietly(lockConnection);
            lockConnection = null;
            return false;
        }
    }

    public synchronized boolean isLeader() {
        return lockConnection != null;
    }

    /** Releases the lock by ending its session. */
    public synchronized void release() {
        if (lockConnection != null) {
            closeQuietly(lockConnection);
            lockConnection = null;
            log.info("Leadership released");
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The session is gone either way, and with it the lock.
            }
        }
    }
}
