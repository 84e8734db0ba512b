package io.outboxcdc.system;

import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.system.stack.LocalStack;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * What the whole-system tests read about the relay from outside: its replication slot (as superuser), the
 * advisory-lock session of the leader, and its Prometheus metrics.
 */
final class SlotProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final LocalStack stack;

    SlotProbe(LocalStack stack) {
        this.stack = stack;
    }

    String currentLsn() {
        return text("orders", "SELECT pg_current_wal_lsn()::text");
    }

    /** Bytes from {@code lsn} to the slot's confirmed_flush_lsn: at least 0 once the relay confirmed past it. */
    long confirmedPast(String lsn) {
        return number("orders", "SELECT coalesce(pg_wal_lsn_diff(confirmed_flush_lsn, '" + lsn + "'::pg_lsn), -1)::bigint"
                + slotFilter());
    }

    /** WAL the slot makes PostgreSQL keep: current position minus restart_lsn. */
    long retainedBytes() {
        return number("orders", "SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint"
                + slotFilter());
    }

    /** A checkpoint logs the running transactions, the point at which a slot may move its restart_lsn. */
    void checkpoint() {
        stack.postgres().execute("orders", "CHECKPOINT");
    }

    /**
     * WAL from activity the relay does not publish (another database of the same cluster): an idle outbox in a
     * busy cluster. Returns the bytes written.
     */
    long writeUnrelatedWal(int megabytes) {
        String before = currentLsn();
        stack.postgres().execute("postgres",
                "CREATE TABLE IF NOT EXISTS wal_filler (id bigserial PRIMARY KEY, pad text NOT NULL)",
                "INSERT INTO wal_filler (pad) SELECT repeat(md5(g::text), 30) FROM generate_series(1, "
                        + megabytes * 1000 + ") g",
                "TRUNCATE wal_filler");
        return number("orders", "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + before + "'::pg_lsn)::bigint");
    }

    long outboxRows() {
        return number("orders", "SELECT count(*) FROM outbox");
    }

    /** relay.leadership.lock-key (the default; the stack does not override it). */
    private static final long LOCK_KEY = 7318240531L;

    /** The relay's advisory lock in the orders database (a bigint key is classid:objid, objsubid 1). */
    private static final String RELAY_LOCK = " FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
            + "AND (classid::bigint << 32 | objid::bigint) = " + LOCK_KEY
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    /** Ends the session holding the relay's leadership lock. */
    long terminateLockSessions() {
        return number("orders", "SELECT count(pg_terminate_backend(pid))" + RELAY_LOCK);
    }

    long lockHolders() {
        return number("orders", "SELECT count(*)" + RELAY_LOCK);
    }

    /**
     * A metric of one service's /actuator/prometheus, summed over its label sets ({@code name} may carry a label
     * prefix such as {@code relay_errors_total{kind="leadership"}), or -1 if unreachable.
     */
    static double metric(SpringBootService service, String name) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    service.healthUri().resolve("/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            double sum = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")
                        || (name.contains("{") && line.startsWith(name))) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static boolean leads(SpringBootService relay) {
        return metric(relay, "relay_leader") == 1.0;
    }

    private String slotFilter() {
        return " FROM pg_replication_slots WHERE slot_name = '" + stack.layout().replicationSlot() + "'";
    }

    private long number(String database, String sql) {
        String value = text(database, sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    private String text(String database, String sql) {
        try (Connection c = stack.postgres().superuserDataSource(database).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
