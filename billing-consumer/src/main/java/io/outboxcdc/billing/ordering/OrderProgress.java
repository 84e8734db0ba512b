package io.outboxcdc.billing.ordering;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code order_progress}: per order, the sequence applied last. */
@Repository
public class OrderProgress {

    private final JdbcTemplate jdbc;

    public OrderProgress(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The sequence applied last (0 for a new order), with the order's row locked until the transaction ends:
     * whoever processes an order's events (another instance during a rebalance) does it one at a time.
     */
    public long lockAppliedSequence(UUID orderId) {
        jdbc.update("INSERT INTO order_progress (order_id, applied_sequence) VALUES (?, 0) ON CONFLICT DO NOTHING",
                orderId);
        Long applied = jdbc.queryForObject(
                "SELECT applied_sequence FROM order_progress WHERE order_id = ? FOR UPDATE", Long.class, orderId);
        return applied == null ? 0 : applied;
    }

    public void advanceTo(UUID orderId, long appliedSequence) {
        jdbc.update("UPDATE order_progress SET applied_sequence = ? WHERE order_id = ?", appliedSequence, orderId);
    }
}
