package io.outboxcdc.relay.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes outbox rows as order-app would (role order_app, plain JDBC): for each step 1..n, one row per
 * aggregate, so every aggregate's sequence grows in commit order.
 */
public final class OutboxRowWriter {

    private final String jdbcUrl;
    private final List<String> eventIds = Collections.synchronizedList(new ArrayList<>());

    public OutboxRowWriter(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public List<String> eventIds() {
        synchronized (eventIds) {
            return List.copyOf(eventIds);
        }
    }

    /** Writes {@code aggregates x steps} rows, {@code rowsPerTransaction} per commit. */
    public void write(String prefix, int aggregates, int firstStep, int steps, int rowsPerTransaction,
            long pauseNanosBetweenTransactions) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "order_app", "order_app");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox (id, aggregate_type, "
                        + "aggregate_id, aggregate_sequence, type, payload, headers, created_at) "
                        + "VALUES (?::uuid, 'order', ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
            connection.setAutoCommit(false);
            int inTransaction = 0;
            for (int step = firstStep; step < firstStep + steps; step++) {
                for (int a = 0; a < aggregates; a++) {
                    String eventId = UUID.randomUUID().toString();
                    String orderId = aggregateId(prefix, a);
                    String type = step == 1 ? "OrderCreated" : "OrderCancelled";
                    insert.setString(1, eventId);
                    insert.setString(2, orderId);
                    insert.setLong(3, step);
                    insert.setString(4, type);
                    insert.setString(5, "{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"orderId\":\"" + orderId
                            + "\",\"occurredAt\":\"" + Instant.now() + "\"}");
                    insert.setString(6, "{\"traceparent\":\"00-" + eventId.replace("-", "")
                            + "-0000000000000001-01\"}");
                    insert.setTimestamp(7, Timestamp.from(Instant.now()));
                    insert.executeUpdate();
                    eventIds.add(eventId);
                    if (++inTransaction == rowsPerTransaction) {
                        connection.commit();
                        inTransaction = 0;
                        if (pauseNanosBetweenTransactions > 0) {
                            // Load shaping (a steady stream the faults can hit), not synchronisation.
                            LockSupport.parkNanos(pauseNanosBetweenTransactions);
                        }
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("writing outbox rows failed", e);
        }
    }

    public CompletableFuture<Void> writeAsync(String prefix, int aggregates, int steps, int rowsPerTransaction,
            long pauseNanosBetweenTransactions) {
        return CompletableFuture.runAsync(() -> write(prefix, aggregates, 1, steps, rowsPerTransaction,
                pauseNanosBetweenTransactions));
    }

    public static String aggregateId(String prefix, int index) {
        return new UUID(prefix.hashCode(), index).toString();
    }
}
