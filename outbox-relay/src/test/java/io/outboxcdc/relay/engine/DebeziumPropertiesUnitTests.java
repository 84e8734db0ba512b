package io.outboxcdc.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.support.TestProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesUnitTests {

    @Test
    void setsEverythingWhoseDefaultLosesOrDelaysEvents() {
        Properties p = DebeziumProperties.from(TestProperties.relay(Map.of(
                "relay.slot-name", "my_slot", "relay.kafka.bootstrap-servers", "k:1")));

        assertThat(p).containsEntry("plugin.name", "pgoutput")
                .containsEntry("slot.name", "my_slot")
                .containsEntry("publication.name", "outbox_pub")
                .containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("snapshot.mode", "no_data")
                .containsEntry("table.include.list", "public.outbox,public.outbox_heartbeat")
                .containsEntry("tombstones.on.delete", "false")
                .containsEntry("poll.interval.ms", "10")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("heartbeat.action.query",
                        "UPDATE public.outbox_heartbeat SET last_beat_at = now() WHERE id = 1")
                .containsEntry("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore")
                .containsEntry("offset.storage.topic", "outbox-relay.offsets")
                .containsEntry("offset.flush.interval.ms", "0")
                .containsEntry("bootstrap.servers", "k:1")
                .containsEntry("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter")
                .containsEntry("transforms.outbox.predicate", "isOutboxTable")
                .containsEntry("transforms.outbox.route.by.field", "aggregate_type")
                .containsEntry("transforms.outbox.table.field.event.key", "aggregate_id")
                .containsEntry("transforms.outbox.table.field.event.id", "id");
        assertThat(p.getProperty("transforms.outbox.table.fields.additional.placement"))
                .contains("type:header:eventType", "aggregate_sequence:header:aggregateSequence");
        assertThat("outbox-relay.public.outbox").matches(p.getProperty("predicates.isOutboxTable.pattern"));
        assertThat("outbox-relay.public.outbox_heartbeat")
                .doesNotMatch(p.getProperty("predicates.isOutboxTable.pattern"));
    }

    @Test
    void passthroughPropertiesWin() {
        Properties p = DebeziumProperties.from(TestProperties.relay(Map.of(
                "relay.debezium.max.queue.size", "99", "relay.debezium.snapshot.mode", "initial")));
        assertThat(p).containsEntry("max.queue.size", "99").containsEntry("snapshot.mode", "initial");
    }

    @Test
    void defaultsRouteOrdersToTheOrdersTopic() {
        RelayProperties properties = TestProperties.relay(Map.of());
        assertThat(properties.topicFor("order")).isEqualTo("orders");
        assertThat(properties.offsets().flushInterval()).isEqualTo(Duration.ZERO);
        assertThat(properties.topicPartitions()).isEqualTo(3);
    }

    @Test
    void backoffDoublesUpToItsBoundAndResets() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(5));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }
}
