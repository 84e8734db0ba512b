package io.outboxcdc.order.sales;

import io.outboxcdc.order.idempotency.IdempotencyKey;
import io.outboxcdc.order.outbox.OutboxRow;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes a new order in ONE SQL statement, so that creating an order costs two round trips to the database:
 * this statement (PostgreSQL's JDBC driver sends the BEGIN in the same message) and the COMMIT. Each
 * data-modifying CTE runs exactly once; when the Idempotency-Key is live (claimed by an earlier request), the
 * claim returns no row and so do the order, its lines and its event.
 *
 * <p>The statement is documented verbatim in the module README ("Write path"), and the benchmark's plain-JDBC
 * baseline issues the same one: keep them in step.
 */
@Component
class PlaceOrderStatement {

    /** The claim: inserts the key, or takes over an expired one; no row when a live key exists. */
    static final String CLAIM_KEY = """
            claim AS (
                INSERT INTO idempotency_keys (idempotency_key, request_hash, order_id, created_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, order_id = EXCLUDED.order_id,
                        created_at = EXCLUDED.created_at
                    WHERE idempotency_keys.created_at < ?
                RETURNING order_id)""";

    /** Without a key there is nothing to claim: the order id itself. */
    static final String NO_KEY = """
            claim AS (
                SELECT CAST(? AS uuid) AS order_id)""";

    static final String INSERT_ORDER = """
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
                SELECT ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ? FROM new_order)
            SELECT count(*) FROM new_order""";

    static final String WITH_KEY_SQL = "WITH " + CLAIM_KEY + ",\n" + INSERT_ORDER;
    static final String WITHOUT_KEY_SQL = "WITH " + NO_KEY + ",\n" + INSERT_ORDER;

    private final JdbcTemplate jdbc;

    PlaceOrderStatement(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param key null when the request carried none
     * @param expiredBefore keys created before this instant are taken over
     * @return true if the order was written; false if {@code key} is live, and nothing was written
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean insert(Order order, OutboxRow event, IdempotencyKey key, String requestHash, Instant expiredBefore) {
        Boolean written = jdbc.execute((Connection connection) -> {
            PreparedStatement statement = connection.prepareStatement(key == null ? WITHOUT_KEY_SQL : WITH_KEY_SQL);
            Parameters p = new Parameters(statement);
            if (key == null) {
                p.set(order.id());
            } else {
                p.set(key.value()).set(requestHash).set(order.id()).set(utc(order.createdAt()))
                        .set(utc(expiredBefore));
            }
            List<OrderLine> lines = order.lines();
            p.set(order.customerId()).set(order.currency()).set(order.total()).set(utc(order.createdAt()))
                    .set(utc(order.updatedAt()))
                    .set(connection.createArrayOf("varchar", lines.stream().map(OrderLine::sku).toArray()))
                    .set(connection.createArrayOf("int4", lines.stream().map(OrderLine::quantity).toArray()))
                    .set(connection.createArrayOf("numeric", lines.stream().map(OrderLine::unitPrice).toArray()));
            p.set(event.id()).set(event.aggregateType()).set(event.aggregateId()).set(event.aggregateSequence())
                    .set(event.type()).set(event.payload()).set(event.headers()).set(utc(event.createdAt()));
            return statement;
        }, (PreparedStatement statement) -> {
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 1;
            }
        });
        return Boolean.TRUE.equals(written);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Positional parameters in the order they appear in the statement. */
    private static final class Parameters {

        private final PreparedStatement statement;
        private int index;

        Parameters(PreparedStatement statement) {
            this.statement = statement;
        }

        Parameters set(Object value) throws SQLException {
            if (value instanceof BigDecimal decimal) {
                statement.setBigDecimal(++index, decimal);
            } else {
                statement.setObject(++index, value);
            }
            return this;
        }
    }
}
