package io.outboxcdc.relay;

import io.outboxcdc.contracts.KafkaNames;
import io.outboxcdc.contracts.LocalPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the relay is configured with (prefix {@code relay}); defaults suit the local stack, every value
 * can be overridden from the environment or the command line. Each default lives here, once: application.yml,
 * the local stack and docker-compose.yml set only what differs, and the build generates the configuration
 * metadata (names, defaults, these descriptions) from this record.
 *
 * @param database the orders database the relay streams the outbox of
 * @param slotName the logical replication slot (pgoutput) order-app's migrations create
 * @param publication the publication of outbox inserts order-app's migrations create
 * @param outboxTable the outbox table, schema-qualified (Debezium {@code table.include.list})
 * @param topicPrefix Debezium {@code topic.prefix}: part of the offset key and of the heartbeat topic's name, do
 *     not change it in production
 * @param topicForAggregateType Kafka topic per {@code outbox.aggregate_type}, on top of the default mapping
 *     {@code order} to {@code orders}; an unmapped type is published to a topic named like the type itself
 * @param topicPartitions partitions of the event topics the relay creates
 * @param topicReplicationFactor replication factor of the event topics and the dead-letter topic the relay
 *     creates
 * @param topicRetention {@code retention.ms} of the event topics the relay provisions (set on creation and on
 *     every start); keep it longer than the outbox retention, so that a replay from the outbox is never needed
 * @param publishing PIPELINED (the next batch is sent while earlier acks are outstanding, offsets stored
 *     asynchronously up to the last contiguous acknowledged event) or BATCH_SYNC (each batch waits for all its
 *     acks and stores its offset before the next one is polled: the design before issue 12)
 * @param filterAtSource drop logical decoding messages and updates/deletes/truncates inside Debezium already;
 *     false passes them to the relay, which skips and counts each by kind anyway (diagnostics: see who writes
 *     what into the WAL). Other tables stay filtered by {@code table.include.list} either way
 * @param kafka the Kafka cluster of the events and the offsets
 * @param offsets where and how often Debezium's source offsets are stored
 * @param streaming Debezium's polling, batching and heartbeat, and the records allowed in flight
 * @param leadership the single active relay
 * @param supervision restarts of a failed engine run
 * @param deadLetter where an operator moves an event Kafka refuses
 * @param debezium extra Debezium engine properties, applied last (they win)
 * @param producer extra Kafka producer properties, applied last (they win)
 */
@ConfigurationProperties("relay")
public record RelayProperties(
        @DefaultValue Database database,
        @DefaultValue("outbox_slot") String slotName,
        @DefaultValue("outbox_pub") String publication,
        @DefaultValue("public.outbox") String outboxTable,
        @DefaultValue("outbox-relay") String topicPrefix,
        Map<String, String> topicForAggregateType,
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicationFactor,
        @DefaultValue("14d") Duration topicRetention,
        @DefaultValue("PIPELINED") Publishing publishing,
        @DefaultValue("true") boolean filterAtSource,
        @DefaultValue Kafka kafka,
        @DefaultValue Offsets offsets,
        @DefaultValue Streaming streaming,
        @DefaultValue Leadership leadership,
        @DefaultValue Supervision supervision,
        @DefaultValue DeadLetter deadLetter,
        Map<String, String> debezium,
        Map<String, String> producer) {

    public RelayProperties {
        debezium = debezium == null ? Map.of() : Map.copyOf(debezium);
        producer = producer == null ? Map.of() : Map.copyOf(producer);
        // Entries given in configuration add to (or replace) the default mapping, as a map in application.yml would.
        Map<String, String> topics = new java.util.HashMap<>(DEFAULT_TOPIC_FOR_AGGREGATE_TYPE);
        if (topicForAggregateType != null) {
            topics.putAll(topicForAggregateType);
        }
        topicForAggregateType = Map.copyOf(topics);
    }

    /** Order events go to topic {@code orders}. */
    public static final Map<String, String> DEFAULT_TOPIC_FOR_AGGREGATE_TYPE = Map.of("order", KafkaNames.ORDERS_TOPIC);

    /** The topic an aggregate type's events go to. */
    public String topicFor(String aggregateType) {
        return topicForAggregateType.getOrDefault(aggregateType, aggregateType);
    }

    /**
     * @param host the database server
     * @param port its port
     * @param name the orders database
     * @param username a role with {@code REPLICATION} and {@code SELECT} on the outbox
     * @param password that role's password
     */
    public record Database(
            @DefaultValue("localhost") String host,
            @DefaultValue(LocalPorts.POSTGRES_TEXT) int port,
            @DefaultValue("orders") String name,
            @DefaultValue("outbox_relay") String username,
            @DefaultValue("outbox_relay") String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + name;
        }
    }

    public enum Publishing { PIPELINED, BATCH_SYNC }

    /** @param bootstrapServers the brokers, comma-separated */
    public record Kafka(@DefaultValue(LocalPorts.KAFKA_BOOTSTRAP_SERVERS) String bootstrapServers) {
    }

    /**
     * @param topic the compacted topic (one partition) of Debezium's offsets
     * @param replicationFactor its replication factor when the relay creates it
     * @param flushInterval how often acknowledged offsets are stored (and the LSN confirmed to the slot). In
     *     PIPELINED mode a background committer stores them at this interval, never blocking publishing; in
     *     BATCH_SYNC mode it is Debezium's {@code offset.flush.interval.ms} (0 = after every batch)
     */
    public record Offsets(
            @DefaultValue(KafkaNames.RELAY_OFFSETS_TOPIC) String topic,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("100ms") Duration flushInterval) {
    }

    /**
     * @param pollInterval Debezium's wait between polls of its queue; its default of 500 ms adds half a second
     *     of latency to every event
     * @param maxBatchSize Debezium {@code max.batch.size}: records per batch handed to the relay
     * @param maxQueueSize Debezium {@code max.queue.size}: records buffered between the WAL reader and the relay
     * @param heartbeatInterval how often the heartbeat row is updated so an idle outbox never pins WAL
     * @param maxInFlightEvents PIPELINED: records sent but not yet committed before the handler waits
     */
    public record Streaming(
            @DefaultValue("10ms") Duration pollInterval,
            @DefaultValue("2048") int maxBatchSize,
            @DefaultValue("16384") int maxQueueSize,
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("32768") int maxInFlightEvents) {
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
     * @param initialBackoff the first wait before a failed engine run is restarted
     * @param maxBackoff the longest wait; the backoff doubles up to it
     * @param healthyAfter how long a run must stream before the restart backoff goes back to its initial value
     *     (a run that fails right after its task started keeps backing off)
     * @param slotWaitTimeout how long a new leader waits for the slot to be released by a walsender that is
     *     still attached (e.g. of the previous leader, or one a failed run left behind) before it terminates that
     *     walsender and takes the slot over
     */
    public record Supervision(
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("15s") Duration slotWaitTimeout,
            @DefaultValue("30s") Duration healthyAfter) {
    }

    /**
     * Where an event Kafka refuses goes once an operator asks for it (never automatically).
     *
     * @param topic the relay's dead-letter topic; the event keeps its key, value and headers
     * @param maxMessageBytes {@code max.message.bytes} of that topic and the dead-letter producer's request
     *     limit; an event larger still is dead-lettered without its payload (it stays in the outbox row)
     * @param eventIds events to dead-letter when met (the command-line way out, e.g. after a restart)
     */
    public record DeadLetter(
            @DefaultValue(KafkaNames.RELAY_DEAD_LETTER_TOPIC) String topic,
            @DefaultValue("16777216") int maxMessageBytes,
            List<String> eventIds) {

        public DeadLetter {
            eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        }
    }
}
