package io.outboxcdc.order.outbox;

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
 * Deletes outbox rows older than {@code orders.outbox.retention}, in batches. It cannot lose an event: the
 * replication slot (created by migration V3 before the first order) retains the WAL of every insert until the
 * relay confirms it, whatever happens to the row afterwards, and deletes are not published.
 */
@Component
public class OutboxRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);

    private static final String DELETE_BATCH = """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE created_at < ? ORDER BY created_at LIMIT ?)
            """;

    private final JdbcTemplate jdbc;
    private final OutboxProperties properties;
    private final Clock clock;

    public OutboxRetention(JdbcTemplate jdbc, OutboxProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (properties.cleanupEnabled()) {
            registrar.addFixedDelayTask(this::runQuietly, properties.cleanupInterval());
        }
    }

    /** Deletes every row created before now - retention; each batch commits on its own. */
    public long deleteExpired() {
        return deleteCreatedBefore(Instant.now(clock).minus(properties.retention()));
    }

    long deleteCreatedBefore(Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.update(DELETE_BATCH, Timestamp.from(cutoff), properties.cleanupBatchSize());
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        return total;
    }

    private void runQuietly() {
        try {
            long deleted = deleteExpired();
            if (deleted > 0) {
                log.info("Outbox retention deleted {} rows older than {}", deleted, properties.retention());
            }
        } catch (RuntimeException e) {
            // The next run retries; a failed cleanup never affects order processing.
            log.warn("Outbox retention run failed", e);
        }
    }
}
