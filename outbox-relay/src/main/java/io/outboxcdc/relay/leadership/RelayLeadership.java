package io.outboxcdc.relay.leadership;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.database.RelayDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    /** Whether this session holds the advisory lock (a bigint key is split into classid/objid, objsubid 1). */
    static final String HELD = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
            + "AND pid = pg_backend_pid() AND granted AND objsubid = 1 "
            + "AND classid::bigint = ((?::bigint >> 32) & 4294967295) AND objid::bigint = (?::bigint & 4294967295))";

    private final RelayDatabase database;
    private final long lockKey;
    private Connection lockConnection;

    public RelayLeadership(RelayDatabase database, RelayProperties properties) {
        this.database = database;
        this.lockKey = properties.leadership().lockKey();
    }

    /**
     * One attempt; true when this instance holds the lock (now, or already on a session that is verified to be
     * alive and to hold it: a session lost meanwhile, e.g. while the relay was stopped at an event or backing off,
     * is noticed here, before the relay acts as leader again, and the lock is taken afresh if free).
     */
    public synchronized boolean tryAcquire() {
        if (lockConnection != null) {
            if (stillHeld()) {
                return true;
            }
            log.warn("The leadership lock session was lost; trying to take the lock again");
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
        try (PreparedStatement statement = lockConnection.prepareStatement(HELD)) {
            statement.setQueryTimeout(5);
            statement.setLong(1, lockKey);
            statement.setLong(2, lockKey);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next() && rows.getBoolean(1)) {
                    return true;
                }
            }
            log.error("Leadership lost: the lock session no longer holds advisory lock {}", lockKey);
            closeQuietly(lockConnection);
            lockConnection = null;
            return false;
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
