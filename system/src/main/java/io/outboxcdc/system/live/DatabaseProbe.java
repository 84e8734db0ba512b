package io.outboxcdc.system.live;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads the two databases the way {@code verify} does (same tables, superuser, read only), but only counts and
 * indexed look-ups, over one kept connection per database: a poll every second must not fork a backend each time.
 * Every method answers empty when its database does not answer (the page then shows "n/a").
 */
final class DatabaseProbe implements AutoCloseable {

    record OrdersReading(long orders, long cancelled, long outboxEvents, Long slotConfirmedLagBytes,
            Long slotRetainedWalBytes, Boolean slotActive) {
    }

    record BillingReading(long invoicesIssued, long invoicesVoided, long eventsProcessed, long parked) {
    }

    record DelayWindow(long invoices, Long p50Ms, Long p99Ms) {
    }

    private static final String ORDERS_SQL = """
            SELECT (SELECT count(*) FROM orders),
                   (SELECT count(*) FROM orders WHERE status = 'CANCELLED'),
                   (SELECT count(*) FROM outbox WHERE aggregate_type = 'order'),
                   (SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
                      FROM pg_replication_slots WHERE slot_name = ?),
                   (SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint
                      FROM pg_replication_slots WHERE slot_name = ?),
                   (SELECT active FROM pg_replication_slots WHERE slot_name = ?)""";

    private static final String BILLING_SQL = """
            SELECT (SELECT count(*) FROM invoices WHERE status = 'ISSUED'),
                   (SELECT count(*) FROM invoices WHERE status = 'VOIDED'),
                   (SELECT count(*) FROM processed_events),
                   (SELECT count(*) FROM parked_events)""";

    // The same delay as verify's "order commit -> invoice" (order created_at to invoice issued_at), over a window.
    private static final String DELAY_SQL = """
            SELECT count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY d), percentile_disc(0.99) WITHIN GROUP (ORDER BY d)
              FROM (SELECT (extract(epoch FROM issued_at - order_created_at) * 1000)::bigint AS d
                      FROM invoices WHERE issued_at > now() - make_interval(secs => ?)) recent""";

    private final String ordersUrl;
    private final String billingUrl;
    private final String user;
    private final String slotName;
    private Connection orders;
    private Connection billing;

    DatabaseProbe(String ordersUrl, String billingUrl, String user, String slotName) {
        this.ordersUrl = ordersUrl;
        this.billingUrl = billingUrl;
        this.user = user;
        this.slotName = slotName;
    }

    synchronized Optional<OrdersReading> orders() {
        try {
            PreparedStatement statement = ordersConnection().prepareStatement(ORDERS_SQL);
            try (statement) {
                statement.setString(1, slotName);
                statement.setString(2, slotName);
                statement.setString(3, slotName);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return Optional.of(new OrdersReading(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                            (Long) rs.getObject(4), (Long) rs.getObject(5), (Boolean) rs.getObject(6)));
                }
            }
        } catch (SQLException e) {
            orders = closeQuietly(orders);
            return Optional.empty();
        }
    }

    /** created_at of the oldest outbox event committed after {@code after}, if any (the relay has not sent it yet). */
    synchronized Optional<Optional<Instant>> oldestOutboxEventAfter(Instant after) {
        try (PreparedStatement statement = ordersConnection().prepareStatement(
                "SELECT min(created_at) FROM outbox WHERE aggregate_type = 'order' AND created_at > ?")) {
            statement.setTimestamp(1, Timestamp.from(after));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(1);
                return Optional.of(Optional.ofNullable(oldest).map(Timestamp::toInstant));
            }
        } catch (SQLException e) {
            orders = closeQuietly(orders);
            return Optional.empty();
        }
    }

    synchronized Optional<BillingReading> billing() {
        try (PreparedStatement statement = billingConnection().prepareStatement(BILLING_SQL);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return Optional.of(new BillingReading(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        } catch (SQLException e) {
            billing = closeQuietly(billing);
            return Optional.empty();
        }
    }

    /** Percentiles of order commit -> invoice issued over invoices issued in the last {@code seconds}. */
    synchronized Optional<DelayWindow> invoiceDelay(int seconds) {
        try (PreparedStatement statement = billingConnection().prepareStatement(DELAY_SQL)) {
            statement.setInt(1, seconds);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return Optional.of(new DelayWindow(rs.getLong(1), (Long) rs.getObject(2), (Long) rs.getObject(3)));
            }
        } catch (SQLException e) {
            billing = closeQuietly(billing);
            return Optional.empty();
        }
    }

    /** PostgreSQL answers a query (on the orders database). */
    synchronized boolean reachable() {
        try (PreparedStatement statement = ordersConnection().prepareStatement("SELECT 1");
                ResultSet rs = statement.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            orders = closeQuietly(orders);
            return false;
        }
    }

    private Connection ordersConnection() throws SQLException {
        if (orders == null) {
            orders = connect(ordersUrl);
        }
        return orders;
    }

    private Connection billingConnection() throws SQLException {
        if (billing == null) {
            billing = connect(billingUrl);
        }
        return billing;
    }

    private Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", "");
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "5");
        properties.setProperty("ApplicationName", "outbox-cdc-live");
        Connection connection = DriverManager.getConnection(url, properties);
        connection.setReadOnly(true);
        return connection;
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken: that is why it is being dropped.
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        orders = closeQuietly(orders);
        billing = closeQuietly(billing);
    }
}
