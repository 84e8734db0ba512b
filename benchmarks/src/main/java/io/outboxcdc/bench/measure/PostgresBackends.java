package io.outboxcdc.bench.measure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * PostgreSQL's CPU split by who it works for: each server process's CPU from {@code /proc/<pid>/stat}, labelled
 * through {@code pg_stat_activity} (role and backend type): order-app's backends, the relay's walsender (logical
 * decoding), billing's backends, the WAL writer, checkpointer and so on. Processes that started and ended within
 * a window are missed; the postmaster's own reaped children are not attributed.
 */
public final class PostgresBackends {

    private PostgresBackends() {
    }

    /** pid → {kind, CPU seconds}. */
    public static Map<Long, Backend> snapshot(DataSource superuser) {
        Map<Long, Backend> backends = new HashMap<>();
        try (Connection c = superuser.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid, backend_type, coalesce(usename, '') FROM pg_stat_activity")) {
            long own = -1;
            while (rs.next()) {
                long pid = rs.getLong(1);
                backends.put(pid, new Backend(kind(rs.getString(2), rs.getString(3)),
                        ProcessStats.cpuSeconds(pid, false)));
            }
            try (ResultSet me = s.executeQuery("SELECT pg_backend_pid()")) {
                own = me.next() ? me.getLong(1) : -1;
            }
            backends.remove(own);
        } catch (SQLException e) {
            // Left out of the report.
        }
        return backends;
    }

    public record Backend(String kind, double cpuSeconds) {
    }

    static String kind(String backendType, String user) {
        if ("walsender".equals(backendType)) {
            return "walsender (relay's logical decoding)";
        }
        if (!"client backend".equals(backendType)) {
            return backendType;
        }
        return switch (user) {
            case "order_app" -> "order-app backends";
            case "billing_app" -> "billing backends";
            case "outbox_relay" -> "relay (leadership, heartbeat)";
            case "postgres" -> "benchmark's own queries";
            default -> "other client backends (" + user + ")";
        };
    }

    /** CPU seconds per kind between two snapshots, largest first (a process new in {@code after} counts fully). */
    public static Map<String, Double> byKind(Map<Long, Backend> before, Map<Long, Backend> after) {
        Map<String, Double> kinds = new HashMap<>();
        after.forEach((pid, b) -> {
            Backend earlier = before.get(pid);
            double cpu = b.cpuSeconds() - (earlier == null ? 0 : Math.max(0, earlier.cpuSeconds()));
            if (b.cpuSeconds() >= 0 && cpu > 0) {
                kinds.merge(b.kind(), cpu, Double::sum);
            }
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        kinds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
