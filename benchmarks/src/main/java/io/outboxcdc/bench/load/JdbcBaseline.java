package io.outboxcdc.bench.load;

import io.outboxcdc.runtime.postgres.DatabaseRole;
import io.outboxcdc.system.load.RandomOrders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The database's limit for this workload, as fair as it gets: order-app's write path for {@code POST /orders}
 * with an Idempotency-Key (order-app/README.md, "Write path": one statement that claims the key and inserts the
 * order, its lines and its outbox event, then COMMIT — two round trips), the same bind types, over a pool of as
 * many connections as order-app's HikariCP has, as the order-app role. No HTTP, no JSON binding, no validation.
 * Clients borrow a connection per transaction, as order-app's request threads do.
 */
public final class JdbcBaseline {

    /** order-app/README.md "Write path", with a key. Parameters as listed there. */
    static final String PLACE_ORDER = """
            WITH claim AS (
                INSERT INTO idempotency_keys (idempotency_key, request_hash, order_id, created_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, order_id = EXCLUDED.order_id,
                        created_at = EXCLUDED.created_at
                    WHERE idempotency_keys.created_at < ?
                RETURNING order_id),
            new_order AS (
                INSERT INTO orders (id, customer_id, currency, status, total, event_sequence, created_at, updated_at,
                                    version)
                SELECT order_id, ?, ?, 'CREATED', ?, 1, ?, ?, 0 FROM claim
                RETURNING id),
            new_lines AS (
                INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price)
                SELECT new_order.id, line.line_no, line.sku, line.quantity, line.unit_price
                FROM new_order,
                     unnest(CAST(? AS varchar[]), CAST(? AS int[]), CAST(? AS numeric[]))
                         WITH ORDINALITY AS line (sku, quantity, unit_price, line_no)),
            new_event AS (
                INSERT INTO outbox (id, aggregate_type, aggregate_id, aggregate_sequence, type, payload, headers,
                                    created_at)
                SELECT ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ? FROM new_order
            )
            SELECT count(*) FROM new_order
            """;
    private static final Duration KEY_RETENTION = Duration.ofHours(24);

    /** A fixed set of connections, each with its prepared statement, shared by all clients. */
    public static final class Pool implements AutoCloseable {

        private final BlockingQueue<Member> idle;
        private final List<Member> all = new ArrayList<>();

        public Pool(String jdbcUrl, int size) {
            idle = new ArrayBlockingQueue<>(size);
            try {
                for (int i = 0; i < size; i++) {
                    Connection c = DriverManager.getConnection(jdbcUrl, DatabaseRole.ORDER_APP.name(),
                            DatabaseRole.ORDER_APP.password());
                    c.setAutoCommit(false);
                    Member m = new Member(c, c.prepareStatement(PLACE_ORDER));
                    all.add(m);
                    idle.add(m);
                }
            } catch (SQLException e) {
                close();
                throw new IllegalStateException("baseline connection to " + jdbcUrl + " failed", e);
            }
        }

        @Override
        public void close() {
            for (Member m : all) {
                try {
                    m.connection().close();
                } catch (SQLException e) {
                    // closing anyway
                }
            }
        }
    }

    private record Member(Connection connection, PreparedStatement place) {
    }

    private JdbcBaseline() {
    }

    /** One client: each run borrows a pooled connection, places one random order, commits, returns it. */
    public static ClosedLoop.Operation client(Pool pool) {
        return () -> {
            Member m = pool.idle.take();
            try {
                return place(m);
            } finally {
                pool.idle.add(m);
            }
        };
    }

    private static boolean place(Member m) throws Exception {
        RandomOrders.Order o = OrderRequests.randomOrder();
        UUID id = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        OffsetDateTime ts = now.atOffset(ZoneOffset.UTC);
        String body = o.json();
        int n = o.lines().size();
        String[] skus = new String[n];
        Integer[] quantities = new Integer[n];
        java.math.BigDecimal[] prices = new java.math.BigDecimal[n];
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < n; i++) {
            RandomOrders.Line line = o.lines().get(i);
            skus[i] = line.sku();
            quantities[i] = line.quantity();
            prices[i] = line.unitPrice();
            items.append(i == 0 ? "" : ",").append(String.format("{\"sku\":\"%s\",\"quantity\":%d,\"unitPrice\":%s}",
                    line.sku(), line.quantity(), line.unitPrice().toPlainString()));
        }
        String payload = String.format("{\"schemaVersion\":1,\"eventId\":\"%s\",\"orderId\":\"%s\","
                + "\"customerId\":\"%s\",\"currency\":\"%s\",\"total\":%s,\"items\":[%s],\"occurredAt\":\"%s\"}",
                eventId, id, o.customerId(), o.currency(), o.total().toPlainString(), items, now);
        Connection c = m.connection();
        PreparedStatement s = m.place();
        try {
            int p = 1;
            s.setString(p++, UUID.randomUUID().toString());
            s.setString(p++, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8))));
            s.setObject(p++, id);
            s.setObject(p++, ts);
            s.setObject(p++, ts.minus(KEY_RETENTION));
            s.setString(p++, o.customerId());
            s.setString(p++, o.currency());
            s.setBigDecimal(p++, o.total());
            s.setObject(p++, ts);
            s.setObject(p++, ts);
            s.setArray(p++, c.createArrayOf("varchar", skus));
            s.setArray(p++, c.createArrayOf("int4", quantities));
            s.setArray(p++, c.createArrayOf("numeric", prices));
            s.setObject(p++, eventId);
            s.setString(p++, "order");
            s.setString(p++, id.toString());
            s.setLong(p++, 1);
            s.setString(p++, "OrderCreated");
            s.setString(p++, payload);
            s.setString(p++, "{}");
            s.setObject(p, ts);
            boolean written;
            try (ResultSet rs = s.executeQuery()) {
                written = rs.next() && rs.getLong(1) == 1;
            }
            c.commit();
            return written;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }
}
