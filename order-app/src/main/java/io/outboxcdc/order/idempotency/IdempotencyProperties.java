package io.outboxcdc.order.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long an Idempotency-Key protects against a duplicate order.
 *
 * @param retention a key older than this is expired: a request with it creates a new order (default 24 h)
 * @param cleanupEnabled whether expired keys are deleted (expiry itself does not depend on the cleanup)
 * @param cleanupInterval pause between two cleanup runs
 * @param cleanupBatchSize keys per DELETE statement, so a large backlog never holds long locks
 */
@ConfigurationProperties("orders.idempotency")
public record IdempotencyProperties(
        @DefaultValue("24h") Duration retention,
        @DefaultValue("true") boolean cleanupEnabled,
        @DefaultValue("1h") Duration cleanupInterval,
        @DefaultValue("1000") int cleanupBatchSize) {

    public IdempotencyProperties {
        if (retention.isNegative() || retention.isZero() || cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("orders.idempotency.retention and cleanup-interval must be > 0");
        }
        if (cleanupBatchSize < 1) {
            throw new IllegalArgumentException("orders.idempotency.cleanup-batch-size must be >= 1");
        }
    }
}
