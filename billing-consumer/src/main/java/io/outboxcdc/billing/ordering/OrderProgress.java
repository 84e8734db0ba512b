package io.outboxcdc.billing.ordering;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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
     * The sequence applied last per order (0 for a new order), with the orders' rows locked until the
     * transaction ends: whoever processes an order's events (another instance during a rebalance) does it one
     * batch at a time. Rows are created and locked in order id order, so two batches cannot deadlock on them.
     */
    public Map<UUID, Long> lockAppliedSequences(Collection<UUID> orderIds) {
        String[] ids = orderIds.stream().sorted().map(UUID::toString).toArray(String[]::new);
        jdbc.update("""
                INSERT INTO order_progress (order_id, applied_sequence)
                SELECT o::uuid, 0 FROM unnest(?::text[]) AS o ORDER BY 1
                ON CONFLICT DO NOTHING
                """, (Object) ids);
        Map<UUID, Long> applied = new HashMap<>();
        jdbc.query("""
                SELECT order_id, applied_sequence FROM order_progress
                WHERE order_id = ANY (?::text[]::uuid[]) ORDER BY order_id FOR UPDATE
                """, rs -> {
            applied.put(rs.getObject(1, UUID.class), rs.getLong(2));
        }, (Object) ids);
        return applied;
    }

    public void advance(Map<UUID, Long> appliedSequences) {
        if (appliedSequences.isEmpty()) {
            return;
        }
        var entries = appliedSequences.entrySet().stream().toList();
        jdbc.update("""
                UPDATE order_progress p SET applied_sequence = v.sequence
                FROM unnest(?::text[], ?::bigint[]) AS v(order_id, sequence)
                WHERE p.order_id = v.order_id::uuid
                """, entries.stream().map(e -> e.getKey().toString()).toArray(String[]::new),
                entries.stream().map(Map.Entry::getValue).toArray(Long[]::new));
    }
}
