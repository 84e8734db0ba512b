package io.outboxcdc.relay.engine;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What a record from the replication stream is. Only {@link #OUTBOX_INSERT} is an event; every other kind is
 * skipped (its offset still committed) and counted under its {@link #tag()} in {@code relay.records.skipped}.
 * Nothing in the WAL can stop the relay: a kind nobody thought of is {@link #OTHER}, skipped and counted too.
 */
public enum RecordKind {
    OUTBOX_INSERT("outbox-insert"),
    /** Debezium's heartbeat record: carries the offset that moves the slot while the outbox is idle. */
    HEARTBEAT("heartbeat"),
    /** A logical decoding message ({@code pg_logical_emit_message}), transactional or not, any prefix. */
    MESSAGE("message"),
    OUTBOX_UPDATE("outbox-update"),
    OUTBOX_DELETE("outbox-delete"),
    TRUNCATE("truncate"),
    /** A change of a table that is not the outbox (added to the publication by mistake). */
    OTHER_TABLE("other-table"),
    OTHER("other");

    private final String tag;

    RecordKind(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** Classifies a record as Debezium emits it (before any routing). */
    public static RecordKind of(SourceRecord record, String outboxTopic, String heartbeatTopic, String topicPrefix) {
        String topic = record.topic();
        if (heartbeatTopic.equals(topic)) {
            return HEARTBEAT;
        }
        String op = operation(record);
        if ("m".equals(op) || (topicPrefix + ".message").equals(topic)) {
            return MESSAGE;
        }
        if ("t".equals(op)) {
            return TRUNCATE;
        }
        if (outboxTopic.equals(topic)) {
            if (record.value() == null) {
                return OUTBOX_DELETE; // a tombstone
            }
            return switch (op == null ? "" : op) {
                case "c", "r" -> OUTBOX_INSERT;
                case "u" -> OUTBOX_UPDATE;
                case "d" -> OUTBOX_DELETE;
                default -> OTHER;
            };
        }
        if (op != null && topic != null && topic.startsWith(topicPrefix + ".")) {
            return OTHER_TABLE;
        }
        return OTHER;
    }

    private static String operation(SourceRecord record) {
        if (record.value() instanceof Struct value && value.schema().field("op") != null) {
            return value.getString("op");
        }
        return null;
    }
}
