package io.outboxcdc.bench.load;

import io.outboxcdc.testkit.infra.DatabaseRole;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The database's limit for this workload: the very transaction order-app commits for {@code POST /orders}
 * (idempotency key, order, its lines, one outbox row with the OrderCreated payload), issued over plain JDBC with
 * prepared statements on one connection per client, as the order-app role. No HTTP, no JSON binding, no ORM.
 */
public final class JdbcBaseline implements ClosedLoop.Operation {

    private final Connection connection;
    private final PreparedStatement key;
    private final PreparedStatement order;
    private final PreparedStatement item;
    private final PreparedStatement outbox;

    public JdbcBaseline(String jdbcUrl) {
        try {
            connection = DriverManager.getConnection(jdbcUrl, DatabaseRole.ORDER_APP.name(),
                    DatabaseRole.ORDER_APP.password());
            connection.setAutoCommit(false);
            key = connection.prepareStatement("INSERT INTO idempotency_keys (idempotency_key, request_hash, order_id,"
                    + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING");
            order = connection.prepareStatement("INSERT INTO orders (id, customer_id, currency, status, total,"
                    + " event_sequence, created_at, updated_at, version) VALUES (?, ?, ?, 'CREATED', ?, 1, ?, ?, 0)");
            item = connection.prepareStatement("INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price)"
                    + " VALUES (?, ?, ?, ?, ?)");
            outbox = connection.prepareStatement("INSERT INTO outbox (id, aggregate_type, aggregate_id,"
                    + " aggregate_sequence, type, payload, headers, created_at)"
                    + " VALUES (?, 'order', ?, 1, 'OrderCreated', ?::jsonb, '{}'::jsonb, ?)");
        } catch (SQLException e) {
            throw new IllegalStateException("baseline connection to " + jdbcUrl + " failed", e);
        }
    }

    @Override
    public boolean run() throws Exception {
        OrderRequests.Order o = OrderRequests.randomOrder();
        UUID id = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Timestamp ts = Timestamp.from(now);
        String body = o.json();
        try {
            key.setString(1, UUID.randomUUID().toString());
            key.setString(2, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes())));
            key.setObject(3, id);
            key.setTimestamp(4, ts);
            key.executeUpdate();
            order.setObject(1, id);
            order.setString(2, o.customerId());
            order.setString(3, o.currency());
            order.setBigDecimal(4, o.total());
            order.setTimestamp(5, ts);
            order.setTimestamp(6, ts);
            order.executeUpdate();
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < o.lines().size(); i++) {
                OrderRequests.Line line = o.lines().get(i);
                item.setObject(1, id);
                item.setInt(2, i + 1);
                item.setString(3, line.sku());
                item.setInt(4, line.quantity());
                item.setBigDecimal(5, line.unitPrice());
                item.addBatch();
                items.append(i == 0 ? "" : ",").append(String.format("{\"sku\":\"%s\",\"quantity\":%d,\"unitPrice\":%s}",
                        line.sku(), line.quantity(), line.unitPrice().toPlainString()));
            }
            item.executeBatch();
            outbox.setObject(1, eventId);
            outbox.setString(2, id.toString());
            outbox.setString(3, String.format("{\"schemaVersion\":1,\"eventId\":\"%s\",\"orderId\":\"%s\","
                    + "\"customerId\":\"%s\",\"currency\":\"%s\",\"total\":%s,\"items\":[%s],\"occurredAt\":\"%s\"}",
                    eventId, id, o.customerId(), o.currency(), o.total().toPlainString(), items, now));
            outbox.setTimestamp(4, ts);
            outbox.executeUpdate();
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
