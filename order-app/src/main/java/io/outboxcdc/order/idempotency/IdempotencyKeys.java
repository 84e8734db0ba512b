package io.outboxcdc.order.idempotency;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Claims an Idempotency-Key inside the creating transaction. A concurrent claim of the same key blocks on the
 * primary key until the first transaction ends; then, under READ COMMITTED, the next statement sees its row.
 */
@Component
public class IdempotencyKeys {

    private static final String CLAIM = """
            INSERT INTO idempotency_keys (idempotency_key, request_hash, order_id, created_at)
            VALUES (?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING
            """;
    private static final String FIND = "SELECT request_hash, order_id FROM idempotency_keys WHERE idempotency_key = ?";

    private final JdbcTemplate jdbc;

    public IdempotencyKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @return {@link Claim#claimed()} true if this transaction now owns the key for {@code orderId}; otherwise
     *     the request hash and order of whoever used it first
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Claim claim(IdempotencyKey key, String requestHash, UUID orderId, Instant now) {
        int inserted = jdbc.update(CLAIM, key.value(), requestHash, orderId, Timestamp.from(now));
        if (inserted == 1) {
            return new Claim(true, requestHash, orderId);
        }
        return jdbc.queryForObject(FIND, (rs, n) -> new Claim(false, rs.getString(1), rs.getObject(2, UUID.class)),
                key.value());
    }

    public record Claim(boolean claimed, String requestHash, UUID orderId) {
    }
}
