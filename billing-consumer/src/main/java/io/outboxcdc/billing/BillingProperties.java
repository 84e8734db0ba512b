package io.outboxcdc.billing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where billing reads from and how hard it tries.
 *
 * @param topic the order events topic
 * @param deadLetterTopic where poison records go, partition for partition
 * @param groupId the consumer group; instances with the same group share the partitions
 * @param concurrency consumer threads per instance (more than the partition count only idles)
 * @param topicPartitions partitions of both topics when this app creates them
 * @param retry back-off for transient failures; there is deliberately no attempt limit
 * @param offsetCommit when offsets are committed: {@code BATCH} (after every record of a poll has committed its
 *     transaction; one broker round trip per poll) or {@code RECORD} (after each record). Both commit an offset
 *     only after the record's transaction committed; BATCH redelivers at most one poll after a crash.
 */
@ConfigurationProperties("billing")
public record BillingProperties(
        @DefaultValue("orders") String topic,
        @DefaultValue("orders.DLT") String deadLetterTopic,
        @DefaultValue("billing-service") String groupId,
        @DefaultValue("3") int concurrency,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue Retry retry,
        @DefaultValue("BATCH") OffsetCommit offsetCommit) {

    public enum OffsetCommit {
        BATCH, RECORD
    }

    public record Retry(
            @DefaultValue("500ms") Duration initialInterval,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("30s") Duration maxInterval) {
    }
}
