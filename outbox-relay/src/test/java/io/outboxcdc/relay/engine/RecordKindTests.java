package io.outboxcdc.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Issue 12 point 2: every record of the replication stream has a kind; only outbox inserts are events. */
class RecordKindTests {

    private static final String OUTBOX = "outbox-relay.public.outbox";
    private static final String HEARTBEAT = "__debezium-heartbeat.outbox-relay";
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).build();

    @Test
    void onlyOutboxCreatesAndSnapshotReadsAreEvents() {
        assertThat(kind(OUTBOX, "c")).isEqualTo(RecordKind.OUTBOX_INSERT);
        assertThat(kind(OUTBOX, "r")).isEqualTo(RecordKind.OUTBOX_INSERT);
        assertThat(kind(OUTBOX, "u")).isEqualTo(RecordKind.OUTBOX_UPDATE);
        assertThat(kind(OUTBOX, "d")).isEqualTo(RecordKind.OUTBOX_DELETE);
        assertThat(kind(OUTBOX, "t")).isEqualTo(RecordKind.TRUNCATE);
        assertThat(kind(OUTBOX, "x")).isEqualTo(RecordKind.OTHER);
    }

    @Test
    void everythingElseIsSkippedByKind() {
        assertThat(kind("outbox-relay.message", "m")).isEqualTo(RecordKind.MESSAGE);
        assertThat(kind("outbox-relay.public.orders", "c")).isEqualTo(RecordKind.OTHER_TABLE);
        assertThat(kind("outbox-relay.public.orders", "t")).isEqualTo(RecordKind.TRUNCATE);
        assertThat(RecordKind.of(record(HEARTBEAT, Schema.STRING_SCHEMA, "beat"), OUTBOX, HEARTBEAT, "outbox-relay"))
                .isEqualTo(RecordKind.HEARTBEAT);
        assertThat(RecordKind.of(record(OUTBOX, null, null), OUTBOX, HEARTBEAT, "outbox-relay"))
                .as("a tombstone").isEqualTo(RecordKind.OUTBOX_DELETE);
        assertThat(RecordKind.of(record("something.else", Schema.STRING_SCHEMA, "?"), OUTBOX, HEARTBEAT,
                "outbox-relay")).isEqualTo(RecordKind.OTHER);
    }

    private static RecordKind kind(String topic, String op) {
        return RecordKind.of(record(topic, ENVELOPE, new Struct(ENVELOPE).put("op", op)), OUTBOX, HEARTBEAT,
                "outbox-relay");
    }

    private static SourceRecord record(String topic, Schema schema, Object value) {
        return new SourceRecord(Map.of(), Map.of(), topic, null, null, null, schema, value);
    }
}
