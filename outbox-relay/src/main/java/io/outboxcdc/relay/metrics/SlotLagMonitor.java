package io.outboxcdc.relay.metrics;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.database.RelayDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Samples how much WAL the slot retains: the number that fills the database's disk when the relay stalls. */
@Component
public class SlotLagMonitor {

    private static final Logger log = LoggerFactory.getLogger(SlotLagMonitor.class);
    static final String QUERY = "SELECT (pg_current_wal_lsn() - restart_lsn)::bigint, "
            + "(pg_current_wal_lsn() - confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?";

    private final RelayDatabase database;
    private final RelayMetrics metrics;
    private final String slotName;

    public SlotLagMonitor(RelayDatabase database, RelayMetrics metrics, RelayProperties properties) {
        this.database = database;
        this.metrics = metrics;
        this.slotName = properties.slotName();
    }

    @Scheduled(fixedDelayString = "${relay.metrics.slot-sample-interval:5s}", initialDelay = 1000)
    public void sample() {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, slotName);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    metrics.slot(rows.getLong(1), rows.getLong(2));
                } else {
                    metrics.slot(-1, -1);
                }
            }
        } catch (SQLException e) {
            metrics.slot(-1, -1);
            log.debug("Cannot sample the slot: {}", e.getMessage());
        }
    }
}
