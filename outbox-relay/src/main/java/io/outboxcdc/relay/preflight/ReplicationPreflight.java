package io.outboxcdc.relay.preflight;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.database.RelayDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks at start-up what Debezium would otherwise report late and obscurely: wal_level, the role's
 * REPLICATION attribute, the publication (publishes outbox inserts; warns when it publishes more), and the
 * slot (exists, pgoutput, this database, not in use).
 */
@Component
public class ReplicationPreflight {

    private static final Logger log = LoggerFactory.getLogger(ReplicationPreflight.class);
    /** How long a terminated walsender may take to let go of the slot. */
    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(10);

    private final RelayDatabase database;
    private final RelayProperties properties;

    public ReplicationPreflight(RelayDatabase database, RelayProperties properties) {
        this.database = database;
        this.properties = properties;
    }

    /** Who holds the slot now, if anyone. */
    public record SlotState(boolean active, Integer activePid) {
    }

    /** Everything except "slot in use", which a standby tolerates. Throws {@link PreflightFailedException}. */
    public void checkConfiguration() {
        try (Connection connection = database.connect()) {
            String walLevel = single(connection, "SHOW wal_level");
            if (!"logical".equals(walLevel)) {
                throw new PreflightFailedException("PostgreSQL wal_level is '" + walLevel + "' but must be 'logical' "
                        + "for change data capture: set wal_level = logical in postgresql.conf and restart PostgreSQL");
            }
            String user = properties.database().username();
            if (!Boolean.parseBoolean(single(connection,
                    "SELECT rolreplication::text FROM pg_roles WHERE rolname = current_user"))) {
                throw new PreflightFailedException("role '" + user + "' lacks the REPLICATION attribute, which "
                        + "logical decoding needs: ALTER ROLE " + user + " REPLICATION");
            }
            if (!exists(connection, "SELECT 1 FROM pg_publication WHERE pubname = ?", properties.publication())) {
                throw new PreflightFailedException("publication '" + properties.publication() + "' does not exist in "
                        + "database '" + properties.database().name() + "': run the orders migrations "
                        + "(they create it FOR TABLE outbox, inserts only) or fix relay.publication");
            }
            checkPublicationContent(connection);
            slotState(connection);
        } catch (SQLException e) {
            throw new PreflightFailedException("cannot check the orders database at " + database.url() + " as '"
                    + properties.database().username() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Waits until no other process reads the slot (the walsender of a leader that just died lingers up to
     * wal_sender_timeout), then returns. Only the leader calls this, so a walsender still holding the slot after
     * {@code timeout} is stale: a dead leader's, or one a failed run of this very process left behind (Debezium
     * does not always close its replication connection when its task stops while Kafka is down). Waiting longer
     * would stop the relay for good, so the leader terminates that walsender and takes the slot over; it throws
     * only when the walsender cannot be terminated (not permitted) or still holds the slot afterwards.
     */
    public void awaitSlotFree(Duration timeout) throws InterruptedException {
        if (waitUntilFree(timeout) == null) {
            return;
        }
        SlotState state;
        try (Connection connection = database.connect()) {
            state = slotState(connection);
            if (!state.active()) {
                return;
            }
            boolean terminated = terminate(connection, state.activePid());
            log.warn("Replication slot '{}' still held by walsender pid {} after {}: the leader {} it", properties.slotName(),
                    state.activePid(), timeout, terminated ? "terminated" : "could not terminate");
        } catch (SQLException e) {
            throw new PreflightFailedException("cannot read or free replication slot '" + properties.slotName() + "': "
                    + e.getMessage(), e);
        }
        state = waitUntilFree(TERMINATION_GRACE);
        if (state != null) {
            throw new PreflightFailedException("replication slot '" + properties.slotName() + "' is held by another "
                    + "process (walsender pid " + state.activePid() + ") for longer than " + timeout + " and could not be "
                    + "taken over: terminate it with pg_terminate_backend(" + state.activePid() + ") as a role allowed to");
        }
    }

    /** The slot's state while it is still held after {@code timeout}, or null once it is free. */
    private SlotState waitUntilFree(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SlotState state;
        do {
            try (Connection connection = database.connect()) {
                state = slotState(connection);
            } catch (SQLException e) {
                throw new PreflightFailedException("cannot read pg_replication_slots: " + e.getMessage(), e);
            }
            if (!state.active()) {
                return null;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return state;
    }

    private static boolean terminate(Connection connection, Integer pid) throws SQLException {
        if (pid == null) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        } catch (SQLException e) {
            // 42501: the relay's role may not signal that backend (it belongs to another role).
            if ("42501".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private SlotState slotState(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT plugin, database, active, active_pid, slot_type FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, properties.slotName());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new PreflightFailedException("replication slot '" + properties.slotName() + "' does not "
                            + "exist: run the orders migrations (they create it before the first order, so that no "
                            + "outbox row is ever missed) or fix relay.slot-name");
                }
                String plugin = rows.getString("plugin");
                String db = rows.getString("database");
                if (!"logical".equals(rows.getString("slot_type")) || !"pgoutput".equals(plugin)) {
                    throw new PreflightFailedException("replication slot '" + properties.slotName() + "' uses plugin '"
                            + plugin + "'; the relay needs a logical slot with plugin pgoutput");
                }
                if (!properties.database().name().equals(db)) {
                    throw new PreflightFailedException("replication slot '" + properties.slotName() + "' belongs to "
                            + "database '" + db + "', not '" + properties.database().name() + "'");
                }
                int pid = rows.getInt("active_pid");
                return new SlotState(rows.getBoolean("active"), rows.wasNull() ? null : pid);
            }
        }
    }

    /**
     * The publication must publish the outbox's inserts. Anything more (updates, deletes, truncates, other tables)
     * is not fatal, the relay skips and counts it, but it is decoded for nothing: say so once.
     */
    private void checkPublicationContent(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT p.pubinsert, p.pubupdate, "
                + "p.pubdelete, p.pubtruncate, p.puballtables, "
                + "EXISTS (SELECT 1 FROM pg_publication_tables t WHERE t.pubname = p.pubname "
                + "AND t.schemaname || '.' || t.tablename = ?), "
                + "(SELECT string_agg(t.schemaname || '.' || t.tablename, ', ') FROM pg_publication_tables t "
                + "WHERE t.pubname = p.pubname AND t.schemaname || '.' || t.tablename <> ?) "
                + "FROM pg_publication p WHERE p.pubname = ?")) {
            statement.setString(1, properties.outboxTable());
            statement.setString(2, properties.outboxTable());
            statement.setString(3, properties.publication());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(6) || !rows.getBoolean(1)) {
                    throw new PreflightFailedException("publication '" + properties.publication() + "' does not "
                            + "publish inserts of " + properties.outboxTable() + ": ALTER PUBLICATION "
                            + properties.publication() + " SET TABLE " + properties.outboxTable()
                            + "; ALTER PUBLICATION " + properties.publication() + " SET (publish = 'insert')");
                }
                String others = rows.getString(7);
                if (rows.getBoolean(2) || rows.getBoolean(3) || rows.getBoolean(4) || rows.getBoolean(5)
                        || others != null) {
                    log.warn("Publication '{}' publishes more than outbox inserts (update={}, delete={}, "
                            + "truncate={}, all tables={}, other tables: {}); the relay skips and counts those "
                            + "records (relay_records_skipped_total), but PostgreSQL decodes them for nothing. "
                            + "Migration V4 restricts it: SET TABLE {} and SET (publish = 'insert').",
                            properties.publication(), rows.getBoolean(2), rows.getBoolean(3), rows.getBoolean(4),
                            rows.getBoolean(5), others == null ? "none" : others, properties.outboxTable());
                }
            }
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static boolean exists(Connection connection, String sql, String arg) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, arg);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
