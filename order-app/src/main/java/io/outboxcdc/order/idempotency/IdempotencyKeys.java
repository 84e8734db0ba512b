package io.outboxcdc.order.idempotency;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code idempotency_keys} table. The claim itself is part of the statement that creates the order (see
 * {@code PlaceOrderStatement}): {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE created_at < expiredBefore},
 * which takes over an expired key and leaves a live one alone. A concurrent claim of the same key blocks on the
 * primary key until the first transaction ends; then, under READ COMMITTED, the next statement sees its row.
 */
@Component
public class IdempotencyKeys {

    private static final String FIND = "SELECT request_hash, order_id FROM idempotency_keys WHERE idempotency_key = ?";

    private final JdbcTemplate jdbc;
    private final IdempotencyProperties properties;

    public IdempotencyKeys(JdbcTemplate jdbc, IdempotencyProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Keys created before this instant are expired: using one again creates a new order. */
    public Instant expiredBefore(Instant now) {
        return now.minus(properties.retention());
    }

    /** Whoever holds the key now, after a claim of it found it live. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Claim> find(IdempotencyKey key) {
        return jdbc.query(FIND, (rs, n) -> new Claim(rs.getString(1), rs.getObject(2, UUID.class)), key.value())
                .stream().findFirst();
    }

    /** A key's first request: its fingerprint and the order it created. */
    public record Claim(String requestHash, UUID orderId) {
    }
}
