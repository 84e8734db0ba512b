package io.outboxcdc.relay;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the relay is configured with (prefix {@code relay}); defaults suit the local stack, every value
 * can be overridden from the environment or the command line.
 *
 * @param topicForAggregateType Kafka topic per {@code outbox.aggregate_type}; an unmapped type is published to
 *     a topic named like the type itself
 * @param debezium extra Debezium engine properties, applied last (they win)
 * @param producer extra Kafka producer properties, applied last (they win)
 */
@ConfigurationProperties("relay")
public record RelayProperties(
        @DefaultValue Database database,
        @DefaultValue("outbox_slot") String slotName,
        @DefaultValue("outbox_pub") String publication,
        @DefaultValue("public.outbox") String outboxTable,
        @DefaultValue("public.outbox_heartbeat") String heartbeatTable,
        @DefaultValue("outbox-relay") String topicPrefix,
        Map<String, String> topicForAggregateType,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicationFactor,
        @DefaultValue Kafka kafka,
        @DefaultValue Offsets offsets,
        @DefaultValue Streaming streaming,
        @DefaultValue Leadership leadership,
        @DefaultValue Supervision supervision,
        Map<String, String> debezium,
        Map<String, String> producer) {

    public RelayProperties {
        debezium = debezium == null ? Map.of() : Map.copyOf(debezium);
        producer = producer == null ? Map.of() : Map.copyOf(producer);
        topicForAggregateType = topicForAggregateType == null || topicForAggregateType.isEmpty()
                ? Map.of("order", "orders") : Map.copyOf(topicForAggregateType);
    }

    /** The topic an aggregate type's events go to. */
    public String topicFor(String aggregateType) {
        return topicForAggregateType.getOrDefault(aggregateType, aggregateType);
    }

    public record Database(
            @DefaultValue("localhost") String host,
            @DefaultValue("15432") int port,
            @DefaultValue("orders") String name,
            @DefaultValue("outbox_relay") String username,
            @DefaultValue("outbox_relay") String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + name;
        }
    }

    public record Kafka(@DefaultValue("127.0.0.1:19092") String bootstrapServers) {
    }

    /**
     * @param flushInterval how often processed offsets are written; 0 = after every batch, which bounds the
     *     replays after a crash to one batch
     */
    public record Offsets(
            @DefaultValue("outbox-relay.offsets") String topic,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("0ms") Duration flushInterval) {
    }

    /**
     * @param pollInterval Debezium's wait between polls of its queue; its default of 500 ms adds half a second
     *     of latency to every event
     * @param heartbeatInterval how often the heartbeat row is updated so an idle outbox never pins WAL
     */
    public record Streaming(
            @DefaultValue("10ms") Duration pollInterval,
            @DefaultValue("2048") int maxBatchSize,
            @DefaultValue("16384") int maxQueueSize,
            @DefaultValue("10s") Duration heartbeatInterval) {
    }

    /**
     * @param lockKey the PostgreSQL advisory lock (in the orders database) whose holder is the active relay
     * @param pollInterval how often a standby tries to take the lock, and the leader checks it still holds it
     */
    public record Leadership(
            @DefaultValue("7318240531") long lockKey,
            @DefaultValue("1s") Duration pollInterval) {
    }

    /**
     * @param slotWaitTimeout how long a new leader waits for the slot to be released by a walsender that is
     *     still attached (e.g. of the previous leader) before it reports the slot as held by another process
     */
    public record Supervision(
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("60s") Duration slotWaitTimeout) {
    }
}
