package io.outboxcdc.billing;

import io.outboxcdc.contracts.KafkaNames;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where billing reads from, how hard it tries and when it calls itself stuck. Each default lives here, once:
 * application.yml, the local stack and docker-compose.yml set only what differs, and the build generates the
 * configuration metadata (names, defaults, these descriptions) from this record.
 *
 * @param topic the order events topic
 * @param deadLetterTopic where poison records go, partition for partition
 * @param groupId the consumer group; instances with the same group share the partitions
 * @param concurrency consumer threads per instance (more than the partition count only idles)
 * @param topicPartitions partitions of both topics when this app creates them
 * @param retry back-off for transient failures (a partition that stays stuck turns health DOWN, see watch)
 * @param watch when health reports a partition or a parked event as stuck
 */
@ConfigurationProperties("billing")
public record BillingProperties(
        @DefaultValue(KafkaNames.ORDERS_TOPIC) String topic,
        @DefaultValue(KafkaNames.ORDERS_DEAD_LETTER_TOPIC) String deadLetterTopic,
        @DefaultValue(KafkaNames.BILLING_GROUP) String groupId,
        @DefaultValue("3") int concurrency,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue Retry retry,
        @DefaultValue Watch watch) {

    /**
     * @param initialInterval the first wait before a failed batch is tried again
     * @param multiplier each further wait is the previous one times this
     * @param maxInterval the longest wait
     */
    public record Retry(
            @DefaultValue("500ms") Duration initialInterval,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("30s") Duration maxInterval) {
    }

    /**
     * @param stuckAfter a partition that has not advanced for this long while a record waits turns health DOWN
     * @param parkedTooLong an event parked longer than this is reported (health detail, metric)
     */
    public record Watch(
            @DefaultValue("60s") Duration stuckAfter,
            @DefaultValue("10m") Duration parkedTooLong) {
    }
}
