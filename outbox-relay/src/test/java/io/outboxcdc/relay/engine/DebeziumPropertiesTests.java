package io.outboxcdc.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.support.TestProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesTests {

    @Test
    void setsEverythingWhoseDefaultLosesOrDelaysEvents() {
        Properties p = DebeziumProperties.from(TestProperties.relay(Map.of(
                "relay.slot-name", "my_slot", "relay.kafka.bootstrap-servers", "k:1")));

        assertThat(p).containsEntry("plugin.name", "pgoutput")
                .containsEntry("slot.name", "my_slot")
                .containsEntry("publication.name", "outbox_pub")
                .containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("snapshot.mode", "no_data")
                .containsEntry("table.include.list", "public.outbox")
                .containsEntry("tombstones.on.delete", "false")
                .containsEntry("poll.interval.ms", "10")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("heartbeat.action.query",
                        "SELECT pg_logical_emit_message(false, 'outbox-relay.heartbeat', now()::text)")
                .containsEntry("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore")
                .containsEntry("offset.storage.topic", "outbox-relay.offsets")
                // PIPELINED: the relay's committer decides when; Debezium's policy lets each call through.
                .containsEntry("offset.flush.interval.ms", "0")
                .containsEntry("bootstrap.servers", "k:1")
                .containsEntry("extended.headers.enabled", "false")
                // Issue 12 point 2: filtered inside Debezium already, and defended in the handler.
                .containsEntry("skipped.operations", "u,d,t")
                .containsEntry("message.prefix.exclude.list", ".*")
                .doesNotContainKey("transforms");
        Map<String, String> router = DebeziumProperties.eventRouterConfig();
        assertThat(router).containsEntry("route.by.field", "aggregate_type")
                .containsEntry("table.field.event.key", "aggregate_id")
                .containsEntry("table.field.event.id", "id")
                .containsEntry("table.op.invalid.behavior", "warn");
        assertThat(router.get("table.fields.additional.placement"))
                .contains("type:header:eventType", "aggregate_sequence:header:aggregateSequence");
    }

    @Test
    void batchSyncHandsTheFlushIntervalToDebeziumAndSourceFiltersCanBeTurnedOff() {
        Properties p = DebeziumProperties.from(TestProperties.relay(Map.of("relay.publishing", "BATCH_SYNC",
                "relay.offsets.flush-interval", "0ms", "relay.filter-at-source", "false")));
        assertThat(p).containsEntry("offset.flush.interval.ms", "0").containsEntry("skipped.operations", "none")
                .doesNotContainKey("message.prefix.exclude.list");
        Properties periodic = DebeziumProperties.from(TestProperties.relay(Map.of("relay.publishing", "BATCH_SYNC")));
        assertThat(periodic).containsEntry("offset.flush.interval.ms", "100");
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
        assertThat(properties.offsets().flushInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(properties.publishing()).isEqualTo(RelayProperties.Publishing.PIPELINED);
        assertThat(properties.topicRetention()).isEqualTo(Duration.ofDays(14));
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
