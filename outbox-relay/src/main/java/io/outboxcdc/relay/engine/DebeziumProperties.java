package io.outboxcdc.relay.engine;

import io.outboxcdc.relay.RelayProperties;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Builds the embedded engine's configuration: Postgres connector on pgoutput with the slot and publication
 * the migrations created, Kafka-backed offsets, heartbeats, and the Outbox Event Router applied to outbox
 * rows only. Each setting that loses or delays events when left at Debezium's default is set explicitly.
 */
public final class DebeziumProperties {

    /** Name of the engine; it is part of the key under which offsets are stored, so it must never change. */
    public static final String ENGINE_NAME = "outbox-relay";
    public static final String HEARTBEAT_TOPICS_PREFIX = "__debezium-heartbeat";
    /** Header names the router writes; {@code id} is added by the router itself. */
    public static final String EVENT_TYPE_HEADER = "eventType";
    public static final String AGGREGATE_SEQUENCE_HEADER = "aggregateSequence";
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
        // The migration created the publication (outbox + heartbeat only); the relay's role may not create one.
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", relay.outboxTable() + "," + relay.heartbeatTable());
        // The slot was created by the migration before any outbox row existed, so streaming from the slot
        // position loses nothing; snapshotting the outbox would republish everything still in it.
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");

        p.setProperty("heartbeat.interval.ms", Long.toString(relay.streaming().heartbeatInterval().toMillis()));
        p.setProperty("topic.heartbeat.prefix", HEARTBEAT_TOPICS_PREFIX);
        p.setProperty("heartbeat.action.query",
                "UPDATE " + relay.heartbeatTable() + " SET last_beat_at = now() WHERE id = 1");

        p.setProperty("poll.interval.ms", Long.toString(relay.streaming().pollInterval().toMillis()));
        p.setProperty("max.batch.size", Integer.toString(relay.streaming().maxBatchSize()));
        p.setProperty("max.queue.size", Integer.toString(relay.streaming().maxQueueSize()));

        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("bootstrap.servers", relay.kafka().bootstrapServers());
        p.setProperty("offset.storage.topic", relay.offsets().topic());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(relay.offsets().replicationFactor()));
        p.setProperty("offset.flush.interval.ms", Long.toString(relay.offsets().flushInterval().toMillis()));
        p.setProperty("offset.flush.timeout.ms", "10000");

        p.setProperty("predicates", "isOutboxTable");
        p.setProperty("predicates.isOutboxTable.type",
                "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        p.setProperty("predicates.isOutboxTable.pattern", Pattern.quote(outboxTopic(relay)));
        p.setProperty("transforms", "outbox");
        p.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        p.setProperty("transforms.outbox.predicate", "isOutboxTable");
        p.setProperty("transforms.outbox.route.by.field", "aggregate_type");
        // The router only names the topic after the aggregate type; OutboxRecordMapper maps it to the real
        // topic (relay.topic-for-aggregate-type), which keeps Spring's ${...} out of the configuration.
        p.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}");
        p.setProperty("transforms.outbox.table.field.event.id", "id");
        p.setProperty("transforms.outbox.table.field.event.key", "aggregate_id");
        p.setProperty("transforms.outbox.table.field.event.payload", "payload");
        p.setProperty("transforms.outbox.table.fields.additional.placement", String.join(",",
                "type:header:" + EVENT_TYPE_HEADER,
                "aggregate_sequence:header:" + AGGREGATE_SEQUENCE_HEADER,
                "headers:header:" + OUTBOX_HEADERS_HEADER,
                "created_at:header:" + CREATED_AT_HEADER));
        // An update of an outbox row is a bug elsewhere: stop rather than publish or skip it quietly.
        p.setProperty("transforms.outbox.table.op.invalid.behavior", "fatal");

        relay.debezium().forEach(p::setProperty);
        return p;
    }

    /** The topic Debezium names change events of the outbox table with, before routing. */
    public static String outboxTopic(RelayProperties relay) {
        return relay.topicPrefix() + "." + relay.outboxTable();
    }

    public static String heartbeatTableTopic(RelayProperties relay) {
        return relay.topicPrefix() + "." + relay.heartbeatTable();
    }

    public static String heartbeatTopic(RelayProperties relay) {
        return HEARTBEAT_TOPICS_PREFIX + "." + relay.topicPrefix();
    }
}
