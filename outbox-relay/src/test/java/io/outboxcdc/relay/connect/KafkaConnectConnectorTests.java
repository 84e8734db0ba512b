package io.outboxcdc.relay.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.relay.engine.DebeziumProperties;
import io.outboxcdc.relay.support.TestProperties;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

// Issue 17: one connector definition, two runners. The Connect connector is the embedded engine's configuration
// less the engine's own keys, with the handler's routing as a transformation chain.
class KafkaConnectConnectorTests {

    @Test
    void carriesEveryConnectorSettingOfTheEmbeddedEngineAndNoneOfItsEngineSettings() {
        Map<String, String> overrides = Map.of("relay.slot-name", "my_slot", "relay.streaming.poll-interval", "50ms",
                "relay.debezium.max.batch.size", "512");
        Properties engine = DebeziumProperties.from(TestProperties.relay(overrides));
        Map<String, String> connector = KafkaConnectConnector.config(TestProperties.relay(overrides), true);

        for (String key : engine.stringPropertyNames()) {
            if (KafkaConnectConnector.ENGINE_ONLY.contains(key)) {
                assertThat(connector).as(key).doesNotContainKey(key);
            } else {
                assertThat(connector).as(key).containsEntry(key, engine.getProperty(key));
            }
        }
        assertThat(connector).containsEntry("slot.name", "my_slot").containsEntry("poll.interval.ms", "50")
                .containsEntry("max.batch.size", "512")
                .containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("tasks.max", "1")
                .doesNotContainKeys("bootstrap.servers", "offset.storage.topic", "name");
    }

    @Test
    void exactlyOnceIsRequiredWithOneTransactionPerPollOrNotAskedFor() {
        assertThat(KafkaConnectConnector.config(TestProperties.relay(Map.of()), true))
                .containsEntry("exactly.once.support", "required").containsEntry("transaction.boundary", "poll");
        assertThat(KafkaConnectConnector.config(TestProperties.relay(Map.of()), false))
                .doesNotContainKeys("exactly.once.support", "transaction.boundary");
    }

    @Test
    void routesWithTheEmbeddedRoutersSettingsAndKeepsOnlyTheContractHeaders() {
        Map<String, String> c = KafkaConnectConnector.config(TestProperties.relay(Map.of()), true);

        assertThat(c.get("transforms")).isEqualTo("dropHeartbeats,outbox,topic-order,dropInternalHeaders");
        DebeziumProperties.eventRouterConfig().forEach((key, value) ->
                assertThat(c).containsEntry("transforms.outbox." + key, value));
        assertThat(c).containsEntry("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter")
                .containsEntry("transforms.outbox.predicate", "isOutboxTable")
                .containsEntry("transforms.topic-order.type", "org.apache.kafka.connect.transforms.RegexRouter")
                .containsEntry("transforms.topic-order.regex", "order")
                .containsEntry("transforms.topic-order.replacement", "orders")
                .containsEntry("transforms.dropInternalHeaders.headers", "__outbox.headers,__outbox.createdAt")
                .containsEntry("transforms.dropHeartbeats.type", "org.apache.kafka.connect.transforms.Filter")
                .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter")
                .containsEntry("value.converter", "org.apache.kafka.connect.storage.StringConverter")
                .containsEntry("topic.creation.default.partitions", "3")
                .containsEntry("topic.creation.default.retention.ms", Long.toString(14L * 24 * 3600 * 1000));
        assertThat(Pattern.matches(c.get("predicates.isOutboxTable.pattern"), "outbox-relay.public.outbox")).isTrue();
        assertThat(Pattern.matches(c.get("predicates.isOutboxTable.pattern"), "outbox-relayXpublicXoutbox")).isFalse();
        assertThat(Pattern.matches(c.get("predicates.isHeartbeat.pattern"), "__debezium-heartbeat.outbox-relay"))
                .isTrue();
    }

    @Test
    void anUnmappedAggregateTypeKeepsItsNameAndProducerSettingsBecomeOverrides() {
        Map<String, String> c = KafkaConnectConnector.config(TestProperties.relay(Map.of(
                "relay.topic-for-aggregate-type.order", "order", "relay.topic-for-aggregate-type.pay.ment", "payments",
                "relay.producer.compression.type", "zstd")), true);
        assertThat(c.get("transforms")).isEqualTo("dropHeartbeats,outbox,topic-pay.ment,dropInternalHeaders");
        assertThat(c).containsEntry("transforms.topic-pay.ment.regex", "pay\\.ment")
                .containsEntry("producer.override.compression.type", "zstd");
    }

    @Test
    void theJsonIsTheBodyOfPostConnectors() {
        String json = ConnectorJsonCommand.json(TestProperties.relay(Map.of()), true);
        assertThat(json).startsWith("{").contains("\"name\" : \"outbox-relay\"").contains("\"config\" : {")
                .contains("\"transaction.boundary\" : \"poll\"");
    }
}
