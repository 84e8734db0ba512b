package io.outboxcdc.bench.delay;

import io.outboxcdc.bench.stack.Pause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Order commit → invoice: billing's {@code invoices.issued_at − order_created_at} (order_created_at is the order's
 * created_at, carried by the event). issued_at is taken at the start of billing's transaction, a few ms before
 * its commit.
 */
public final class InvoiceDelays {

    private final DataSource orders;
    private final DataSource billing;

    public InvoiceDelays(DataSource orders, DataSource billing) {
        this.orders = orders;
        this.billing = billing;
    }

    /** Waits until every order created in [from, to) has an invoice, at most {@code timeout}; returns the backlog. */
    public long awaitBilled(Instant from, Instant to, Duration timeout) {
        long ordersCount = count(orders, "SELECT count(*) FROM orders WHERE created_at >= ? AND created_at < ?", from, to);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long missing = ordersCount - count(billing,
                    "SELECT count(*) FROM invoices WHERE order_created_at >= ? AND order_created_at < ?", from, to);
            if (missing <= 0 || System.nanoTime() > deadline) {
                return Math.max(0, missing);
            }
            Pause.millis(250);
        }
    }

    public DelaySamples samples(Instant from, Instant to) {
        DelaySamples samples = new DelaySamples();
        try (Connection c = billing.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT order_created_at, issued_at FROM invoices WHERE order_created_at >= ? AND order_created_at < ?")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant created = rs.getTimestamp(1).toInstant();
                    Instant issued = rs.getTimestamp(2).toInstant();
                    samples.add(created, DelaySamples.micros(issued) - DelaySamples.micros(created));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading invoices failed", e);
        }
        return samples;
    }

    private static long count(DataSource ds, String sql, Instant from, Instant to) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
