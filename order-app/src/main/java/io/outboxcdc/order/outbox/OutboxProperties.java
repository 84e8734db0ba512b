package io.outboxcdc.order.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbox cleanup. Safe to delete rows by age because outbox-relay reads the inserts from the WAL held by the
 * replication slot, not from the table: see the module README.
 *
 * @param retention how long a row stays in the table (for operators to look at), default 7 days
 * @param cleanupEnabled whether the retention job runs
 * @param cleanupInterval pause between two runs of the retention job
 * @param cleanupBatchSize rows per DELETE statement, so a large backlog never holds long locks
 */
@ConfigurationProperties("orders.outbox")
public record OutboxProperties(
        @DefaultValue("7d") Duration retention,
        @DefaultValue("true") boolean cleanupEnabled,
        @DefaultValue("1h") Duration cleanupInterval,
        @DefaultValue("1000") int cleanupBatchSize) {

    public OutboxProperties {
        if (retention.isNegative() || cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("orders.outbox.retention must be >= 0 and cleanup-interval > 0");
        }
        if (cleanupBatchSize < 1) {
            throw new IllegalArgumentException("orders.outbox.cleanup-batch-size must be >= 1");
        }
    }
}
