package io.outboxcdc.relay.metrics;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.database.RelayDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Samples how much WAL the slot retains: the number that fills the database's disk when the relay stalls. */
@Component
public class SlotLagMonitor {

    private static final Logger log = LoggerFactory.getLogger(SlotLagMonitor.class);
    static final String QUERY = "SELECT (pg_current_wal_lsn() - restart_lsn)::bigint, "
            + "(pg_current_wal_lsn() - confirmed_flush_lsn)::bigint, wal_status, restart_lsn IS NULL "
            + "FROM pg_replication_slots WHERE slot_name = ?";

    private final RelayDatabase database;
    private final RelayMetrics metrics;
    private final String slotName;
    private final AtomicReference<SlotHealth> slotHealth = new AtomicReference<>(SlotHealth.UNKNOWN);

    /**
     * What the last sample said about the slot; {@code problem} is null while it is usable.
     *
     * @param walStatus pg_replication_slots.wal_status (reserved, extended, unreserved, lost), null if unknown
     */
    public record SlotHealth(String walStatus, String problem) {
        static final SlotHealth UNKNOWN = new SlotHealth(null, null);

        static SlotHealth ok(String walStatus) {
            return new SlotHealth(walStatus, null);
        }

        static SlotHealth lost(String slot, String walStatus) {
            return new SlotHealth(walStatus, "replication slot '" + slot + "' was invalidated by PostgreSQL "
                    + "(wal_status " + walStatus + ", restart_lsn NULL): WAL it needed is gone; recreate it "
                    + "deliberately (outbox-relay README, 'Slot lost')");
        }

        static SlotHealth missing(String slot) {
            return new SlotHealth(null, "replication slot '" + slot + "' does not exist");
        }
    }

    public SlotLagMonitor(RelayDatabase database, RelayMetrics metrics, RelayProperties properties) {
        this.database = database;
        this.metrics = metrics;
        this.slotName = properties.slotName();
    }

    public SlotHealth slotHealth() {
        return slotHealth.get();
    }

    @Scheduled(fixedDelayString = "${relay.metrics.slot-sample-interval:5s}", initialDelay = 1000)
    public void sample() {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, slotName);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    String walStatus = rows.getString(3);
                    boolean lost = "lost".equals(walStatus) || rows.getBoolean(4);
                    // An invalidated slot has no restart_lsn: the difference is NULL, which getLong reads as 0.
                    metrics.slot(lost ? -1 : rows.getLong(1), lost ? -1 : rows.getLong(2));
                    metrics.slotLost(lost ? 1 : 0);
                    slotHealth.set(lost ? SlotHealth.lost(slotName, walStatus) : SlotHealth.ok(walStatus));
                } else {
                    metrics.slot(-1, -1);
                    metrics.slotLost(-1);
                    slotHealth.set(SlotHealth.missing(slotName));
                }
            }
        } catch (SQLException e) {
            metrics.slot(-1, -1);
            metrics.slotLost(-1);
            slotHealth.set(SlotHealth.UNKNOWN);
            log.debug("Cannot sample the slot: {}", e.getMessage());
        }
    }
}
