package io.outboxcdc.relay.connect;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.engine.DebeziumProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The relay's connector for a Kafka Connect cluster: the very Debezium configuration the embedded relay runs
 * ({@link DebeziumProperties#from}), less what belongs to the engine rather than the connector, plus the
 * routing the embedded relay applies in its handler, expressed as a transformation chain of the Outbox Event
 * Router ({@link DebeziumProperties#eventRouterConfig()}) and Kafka's own transforms. One definition, two
 * runners: a setting changed in {@code relay.*} changes both.
 *
 * <p>What Connect mode cannot do the same way is documented in docs/scale-out.md, not imitated here: no
 * {@code traceparent} header (the embedded relay expands it from the row's {@code headers} jsonb), no
 * dead-letter endpoint (a record Kafka refuses fails the task), no {@code relay_*} metrics.
 */
public final class KafkaConnectConnector {

    public static final String ROUTER = "outbox";
    public static final String DROP_HEARTBEATS = "dropHeartbeats";
    public static final String DROP_INTERNAL_HEADERS = "dropInternalHeaders";
    public static final String IS_OUTBOX_TABLE = "isOutboxTable";
    public static final String IS_HEARTBEAT = "isHeartbeat";
    private static final String TOPIC_ROUTE_PREFIX = "topic-";
    private static final String REGEX_SPECIALS = "\\.[]{}()*+?^$|";

    /**
     * Settings of the embedded engine that a Connect worker owns instead (its offsets topic, its Kafka
     * connection, its flush policy), or that name the engine: not part of a connector's configuration.
     */
    static final Set<String> ENGINE_ONLY = Set.of("name", "bootstrap.servers", "offset.storage",
            "offset.storage.topic", "offset.storage.partitions", "offset.storage.replication.factor",
            "offset.flush.interval.ms", "offset.flush.timeout.ms");

    private KafkaConnectConnector() {
    }

    /** The connector's name: the embedded engine's, so that both are recognisably the same relay. */
    public static String name() {
        return DebeziumProperties.ENGINE_NAME;
    }

    /**
     * The connector configuration ({@code PUT /connectors/{name}/config}), sorted by key.
     *
     * @param exactlyOnce ask for Kafka Connect's exactly-once source delivery (KIP-618): the worker must run with
     *     {@code exactly.once.source.support=enabled}, and the connector refuses to start where it cannot have it
     */
    public static Map<String, String> config(RelayProperties relay, boolean exactlyOnce) {
        Map<String, String> c = new TreeMap<>();
        Properties engine = DebeziumProperties.from(relay);
        for (String key : engine.stringPropertyNames()) {
            if (!ENGINE_ONLY.contains(key)) {
                c.put(key, engine.getProperty(key));
            }
        }
        // Only one task ever: a replication slot has one reader (Debezium's PostgreSQL connector runs one task).
        c.put("tasks.max", "1");
        // The bytes the embedded relay publishes: key and payload as UTF-8 strings, headers as strings.
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");
        if (exactlyOnce) {
            c.put("exactly.once.support", "required");
            // Debezium's PostgreSQL connector defines no transactions of its own; one per poll() batch.
            c.put("transaction.boundary", "poll");
        }
        // Event topics the worker creates if they are missing, as the embedded relay's TopicProvisioner would.
        c.put("topic.creation.default.partitions", Integer.toString(relay.topicPartitions()));
        c.put("topic.creation.default.replication.factor", Short.toString(relay.topicReplicationFactor()));
        c.put("topic.creation.default.retention.ms", Long.toString(relay.topicRetention().toMillis()));
        relay.producer().forEach((key, value) -> c.put("producer.override." + key, value));

        List<String> transforms = new ArrayList<>();
        // Heartbeats only move the offset (and with it the slot); the embedded relay commits them unpublished.
        transforms.add(DROP_HEARTBEATS);
        c.put(transform(DROP_HEARTBEATS, "type"), "org.apache.kafka.connect.transforms.Filter");
        c.put(transform(DROP_HEARTBEATS, "predicate"), IS_HEARTBEAT);
        c.put(predicate(IS_HEARTBEAT, "type"), "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        c.put(predicate(IS_HEARTBEAT, "pattern"), literal(DebeziumProperties.heartbeatTopic(relay)));

        // The Outbox Event Router, on change events of the outbox table only, with the embedded relay's settings.
        transforms.add(ROUTER);
        c.put(transform(ROUTER, "type"), "io.debezium.transforms.outbox.EventRouter");
        c.put(transform(ROUTER, "predicate"), IS_OUTBOX_TABLE);
        DebeziumProperties.eventRouterConfig().forEach((key, value) -> c.put(transform(ROUTER, key), value));
        c.put(predicate(IS_OUTBOX_TABLE, "type"), "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        c.put(predicate(IS_OUTBOX_TABLE, "pattern"), literal(DebeziumProperties.outboxTopic(relay)));

        // The router names the topic after the aggregate type; relay.topic-for-aggregate-type maps it (an
        // unmapped type keeps its name, as in the embedded relay).
        new TreeMap<>(relay.topicForAggregateType()).forEach((aggregateType, topic) -> {
            if (!aggregateType.equals(topic)) {
                String alias = TOPIC_ROUTE_PREFIX + aggregateType;
                transforms.add(alias);
                c.put(transform(alias, "type"), "org.apache.kafka.connect.transforms.RegexRouter");
                c.put(transform(alias, "regex"), literal(aggregateType));
                c.put(transform(alias, "replacement"), topic.replace("$", "\\$"));
            }
        });

        // The contract's headers are exactly id, eventType and aggregateSequence (contracts/README.md); the
        // router's internal ones, which the embedded relay reads and drops, go here.
        transforms.add(DROP_INTERNAL_HEADERS);
        c.put(transform(DROP_INTERNAL_HEADERS, "type"), "org.apache.kafka.connect.transforms.DropHeaders");
        c.put(transform(DROP_INTERNAL_HEADERS, "headers"), String.join(",",
                DebeziumProperties.OUTBOX_HEADERS_HEADER, DebeziumProperties.CREATED_AT_HEADER));

        c.put("transforms", String.join(",", transforms));
        c.put("predicates", String.join(",", IS_HEARTBEAT, IS_OUTBOX_TABLE));
        return c;
    }

    private static String transform(String alias, String key) {
        return "transforms." + alias + "." + key;
    }

    private static String predicate(String alias, String key) {
        return "predicates." + alias + "." + key;
    }

    /** A regular expression matching exactly {@code name} (readable in the JSON, unlike {@code \\Q...\\E}). */
    static String literal(String name) {
        StringBuilder regex = new StringBuilder(name.length() + 4);
        for (char ch : name.toCharArray()) {
            if (REGEX_SPECIALS.indexOf(ch) >= 0) {
                regex.append('\\');
            }
            regex.append(ch);
        }
        return regex.toString();
    }
}
