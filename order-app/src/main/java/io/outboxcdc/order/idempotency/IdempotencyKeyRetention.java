package io.outboxcdc.order.idempotency;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Deletes expired Idempotency-Keys in batches (each its own short transaction, oldest first, by the
 * {@code created_at} index), so the table holds about one retention's worth of keys. Only space depends on it:
 * an expired key that is still there is taken over by the next order that uses it.
 */
@Component
public class IdempotencyKeyRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyRetention.class);

    private static final String DELETE_BATCH = """
            DELETE FROM idempotency_keys WHERE idempotency_key IN (
                SELECT idempotency_key FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)
            """;

    private final JdbcTemplate jdbc;
    private final IdempotencyKeys keys;
    private final IdempotencyProperties properties;
    private final Clock clock = Clock.systemUTC();

    public IdempotencyKeyRetention(JdbcTemplate jdbc, IdempotencyKeys keys, IdempotencyProperties properties) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (properties.cleanupEnabled()) {
            registrar.addFixedDelayTask(this::runQuietly, properties.cleanupInterval());
        }
    }

    /** Deletes every key created before now - retention; each batch commits on its own. */
    public long deleteExpired() {
        Timestamp cutoff = Timestamp.from(keys.expiredBefore(Instant.now(clock)));
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.update(DELETE_BATCH, cutoff, properties.cleanupBatchSize());
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        return total;
    }

    private void runQuietly() {
        try {
            long deleted = deleteExpired();
            if (deleted > 0) {
                log.info("Deleted {} Idempotency-Keys older than {}", deleted, properties.retention());
            }
        } catch (RuntimeException e) {
            // The next run retries; expiry itself does not depend on this job.
            log.warn("Idempotency-Key cleanup failed", e);
        }
    }
}
