package io.outboxcdc.relay.engine;

import io.outboxcdc.contracts.EventHeaders;
import io.outboxcdc.relay.RelayProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the embedded engine's configuration: Postgres connector on pgoutput with the slot and publication
 * the migrations created, Kafka-backed offsets, heartbeats; the Outbox Event Router's settings, which the relay
 * applies to outbox inserts only. Each setting that loses or delays events when left at Debezium's default is
 * set explicitly.
 */
public final class DebeziumProperties {

    /** Name of the engine; it is part of the key under which offsets are stored, so it must never change. */
    public static final String ENGINE_NAME = "outbox-relay";
    public static final String HEARTBEAT_TOPICS_PREFIX = "__debezium-heartbeat";
    /** Prefix of the logical decoding message the heartbeat action query writes. */
    public static final String HEARTBEAT_MESSAGE_PREFIX = "outbox-relay.heartbeat";
    /** Internal headers: expanded or used for metrics, never published as they are. */
    public static final String OUTBOX_HEADERS_HEADER = "__outbox.headers";
    public static final String CREATED_AT_HEADER = "__outbox.createdAt";

    private DebeziumProperties() {
    }

    public static Properties from(RelayProperties relay) {
        Properties p = new Properties();
        p.setProperty("name", ENGINE_NAME);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.hostname", relay.database().host());
        p.setProperty("database.port", Integer.toString(relay.database().port()));
        p.setProperty("database.dbname", relay.database().name());
        p.setProperty("database.user", relay.database().username());
        p.setProperty("database.password", relay.database().password());
        p.setProperty("topic.prefix", relay.topicPrefix());

        // The default plugin is decoderbufs, which a stock PostgreSQL does not have.
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", relay.slotName());
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("publication.name", relay.publication());
        // The migration created the publication (outbox inserts only); the relay's role may not create one.
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", relay.outboxTable());
        // The slot was created by the migration before any outbox row existed, so streaming from the slot
        // position loses nothing; snapshotting the outbox would republish everything still in it.
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        // Debezium's __debezium.context.* headers are not part of the event contract (contracts/README.md).
        p.setProperty("extended.headers.enabled", "false");
        if (relay.filterAtSource()) {
            // Only outbox inserts are events. Whatever else reaches the stream (the publication is insert-only
            // since V4, but logical decoding messages pass any publication) is dropped inside Debezium; the
            // handler still skips and counts whatever gets through (OutboxRecordKind).
            p.setProperty("skipped.operations", "u,d,t");
            p.setProperty("message.prefix.exclude.list", ".*");
        } else {
            p.setProperty("skipped.operations", "none");
        }

        p.setProperty("heartbeat.interval.ms", Long.toString(relay.streaming().heartbeatInterval().toMillis()));
        p.setProperty("topic.heartbeat.prefix", HEARTBEAT_TOPICS_PREFIX);
        // A message in the WAL of the orders database moves the stream (and with it the slot) on while the
        // outbox is idle, whatever the publication holds; it needs no table and no write privilege.
        p.setProperty("heartbeat.action.query",
                "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE_PREFIX + "', now()::text)");

        p.setProperty("poll.interval.ms", Long.toString(relay.streaming().pollInterval().toMillis()));
        p.setProperty("max.batch.size", Integer.toString(relay.streaming().maxBatchSize()));
        p.setProperty("max.queue.size", Integer.toString(relay.streaming().maxQueueSize()));

        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("bootstrap.servers", relay.kafka().bootstrapServers());
        p.setProperty("offset.storage.topic", relay.offsets().topic());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(relay.offsets().replicationFactor()));
        // PIPELINED: the relay's own committer stores offsets every flush-interval, so Debezium's policy must let
        // each of its calls through. BATCH_SYNC: Debezium's periodic policy, as before issue 12.
        long flushMillis = relay.publishing() == RelayProperties.Publishing.PIPELINED
                ? 0 : relay.offsets().flushInterval().toMillis();
        p.setProperty("offset.flush.interval.ms", Long.toString(flushMillis));
        // As long as the producer's delivery timeout (KafkaEventPublisher): a broker outage the producer rides out
        // must not fail the engine on its offset flush first (at 10 s, a 15 s outage restarted the engine).
        p.setProperty("offset.flush.timeout.ms", "30000");

        relay.debezium().forEach(p::setProperty);
        return p;
    }

    /**
     * The Outbox Event Router's configuration. The relay applies the router itself, to outbox inserts only
     * (OutboxBatchHandler): every other record is skipped and counted before it could confuse the router.
     */
    public static Map<String, String> eventRouterConfig() {
        Map<String, String> p = new HashMap<>();
        p.put("route.by.field", "aggregate_type");
        // The router only names the topic after the aggregate type; OutboxRecordMapper maps it to the real
        // topic (relay.topic-for-aggregate-type), which keeps Spring's ${...} out of the configuration.
        p.put("route.topic.replacement", "${routedByValue}");
        p.put("table.field.event.id", "id");
        p.put("table.field.event.key", "aggregate_id");
        p.put("table.field.event.payload", "payload");
        p.put("table.fields.additional.placement", String.join(",",
                "type:header:" + EventHeaders.EVENT_TYPE,
                "aggregate_sequence:header:" + EventHeaders.AGGREGATE_SEQUENCE,
                "headers:header:" + OUTBOX_HEADERS_HEADER,
                "created_at:header:" + CREATED_AT_HEADER));
        // Only inserts are routed; an update never gets here, and if it did the router must not throw.
        p.put("table.op.invalid.behavior", "warn");
        return p;
    }

    /** The topic Debezium names change events of the outbox table with, before routing. */
    public static String outboxTopic(RelayProperties relay) {
        return relay.topicPrefix() + "." + relay.outboxTable();
    }

    /** Debezium's topic for logical decoding messages (when they are not filtered at the source). */
    public static String messageTopic(RelayProperties relay) {
        return relay.topicPrefix() + ".message";
    }

    public static String heartbeatTopic(RelayProperties relay) {
        return HEARTBEAT_TOPICS_PREFIX + "." + relay.topicPrefix();
    }
}
