package io.outboxcdc.order.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Outbox cleanup and event size. Safe to delete rows by age because outbox-relay reads the inserts from the WAL
 * held by the replication slot, not from the table: see the module README.
 *
 * @param retention how long a row stays in the table (for operators to look at), default 7 days
 * @param cleanupEnabled whether the retention job runs
 * @param cleanupInterval pause between two runs of the retention job
 * @param cleanupBatchSize rows per DELETE statement, so a large backlog never holds long locks
 * @param maxEventSize largest Kafka record (a batch of one, as the relay will publish it) an event may become; a
 *     request whose event is larger is refused with 413 and writes nothing. Default 1 048 588 bytes: Kafka's
 *     broker default {@code message.max.bytes}, which is the {@code max.message.bytes} of topic {@code orders}
 *     (outbox-relay's TopicProvisioner leaves it at the broker default, and its producer refuses anything larger).
 *     Set it to the topic's value if that is changed.
 */
@ConfigurationProperties("orders.outbox")
public record OutboxProperties(
        @DefaultValue("7d") Duration retention,
        @DefaultValue("true") boolean cleanupEnabled,
        @DefaultValue("1h") Duration cleanupInterval,
        @DefaultValue("1000") int cleanupBatchSize,
        @DefaultValue("1048588B") DataSize maxEventSize) {

    public OutboxProperties {
        if (retention.isNegative() || cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("orders.outbox.retention must be >= 0 and cleanup-interval > 0");
        }
        if (cleanupBatchSize < 1) {
            throw new IllegalArgumentException("orders.outbox.cleanup-batch-size must be >= 1");
        }
        if (maxEventSize.toBytes() < KafkaRecordSize.BATCH_OVERHEAD) {
            throw new IllegalArgumentException("orders.outbox.max-event-size must leave room for a record");
        }
    }
}
