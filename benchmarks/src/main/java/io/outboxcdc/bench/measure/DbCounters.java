package io.outboxcdc.bench.measure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Cumulative PostgreSQL counters: pg_stat_database of one database and pg_stat_wal of the cluster. */
public final class DbCounters {

    public static final String[] DATABASE_COLUMNS = {"xact_commit", "tup_returned", "tup_fetched", "tup_inserted",
        "tup_deleted", "blks_hit", "blks_read"};
    public static final String[] WAL_COLUMNS = {"wal_records", "wal_bytes", "wal_write", "wal_sync"};

    private DbCounters() {
    }

    public static Map<String, Double> read(DataSource ds, String database) {
        Map<String, Double> values = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // Flushes this backend's pending statistics; other backends flush at least once a second.
            try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", DATABASE_COLUMNS)
                    + " FROM pg_stat_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    for (String col : DATABASE_COLUMNS) {
                        values.put(col, rs.getDouble(col));
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", WAL_COLUMNS) + " FROM pg_stat_wal")) {
                if (rs.next()) {
                    for (String col : WAL_COLUMNS) {
                        values.put(col, rs.getDouble(col));
                    }
                }
            }
        } catch (SQLException e) {
            // Counters are a bonus: a failure leaves them out of the report.
        }
        return values;
    }
}
