package io.outboxcdc.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.relay.support.OutboxWriter;
import io.outboxcdc.relay.support.RelayProcess;
import io.outboxcdc.relay.support.TopicRecorder;
import io.outboxcdc.relay.support.TopicRecorder.Received;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 3: an event Kafka refuses. The event topic accepts at most 10 000 bytes per message; one
 * order's first event is larger. The relay publishes everything before it, stops at it (health DOWN naming the
 * event and the reason, a log that says what was and was not published), lets no later event overtake it, in
 * particular not the same order's next event, and holds the slot there. The documented way out, {@code POST
 * /actuator/deadletter}, moves exactly that event to the dead-letter topic with its headers, and publishing
 * resumes with the events behind it.
 */
@RealInfrastructure
class RelayDeadLetterIntegrationTests {

    private static final String TOPIC = "orders_dlt_it";
    private static final String DEAD_LETTER_TOPIC = "outbox-relay.dead-letter.dlt_it";
    private static final String OFFSETS = "outbox-relay.offsets.dlt_it";

    private static TestInfrastructure infra;
    private static TopicRecorder recorder;
    private static TopicRecorder deadLetters;

    @BeforeAll
    static void setUp(TestInfrastructure testInfrastructure) throws Exception {
        infra = testInfrastructure;
        infra.migrateOrders();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("max.message.bytes",
                    "10000")))).all().get(30, TimeUnit.SECONDS);
        }
        recorder = new TopicRecorder(infra.kafkaBootstrapServers(), TOPIC);
        deadLetters = new TopicRecorder(infra.kafkaBootstrapServers(), DEAD_LETTER_TOPIC);
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        recorder.close();
        deadLetters.close();
    }

    @Test
    void anEventKafkaRefusesStopsPublishingAtItUntilAnOperatorMovesItToTheDeadLetterTopic() throws Exception {
        OutboxWriter before = new OutboxWriter(infra.ordersJdbcUrl());
        before.write("before", 50, 1, 2, 20, 0);
        String bigOrder = "big-" + UUID.randomUUID();
        String oversized = insert(bigOrder, 1, "OrderCreated", "{\"blob\":\"" + "x".repeat(20_000) + "\"}");
        String sameOrderNext = insert(bigOrder, 2, "OrderCancelled", "{\"schemaVersion\":1}");
        OutboxWriter after = new OutboxWriter(infra.ordersJdbcUrl());
        after.write("after", 50, 1, 2, 20, 0);

        RelayProcess relay = RelayProcess.start("relay-dead-letter", infra, TOPIC, OFFSETS,
                "--relay.dead-letter.topic=" + DEAD_LETTER_TOPIC);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> relay.health().contains("FAILED"));
            String health = relay.health();
            assertThat(health).contains("\"DOWN\"").contains(oversized).contains("RecordTooLargeException")
                    .contains("/actuator/deadletter");
            Set<String> published = new HashSet<>(before.eventIds());
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.distinctIds(published).size() == published.size());
            assertThat(recorder.distinctIds(Set.of(oversized, sameOrderNext))).as("nothing of the big order").isEmpty();
            assertThat(recorder.distinctIds(Set.copyOf(after.eventIds()))).as("nothing after it").isEmpty();
            assertThat(relay.log()).contains("RELAY STOPPED").contains(oversized).contains("NOT published")
                    .contains("none of them was sent");
            assertThat(relay.metric("relay_errors_total{kind=\"fatal\"}")).isEqualTo(1.0);
            assertThat(relay.actuator("deadletter")).contains("\"stopped\":true").contains(oversized);
            assertThat(relay.isAlive()).as("stays up with health DOWN, no crash loop").isTrue();

            assertThat(relay.postActuator("deadletter", "{\"eventId\":\"" + sameOrderNext + "\"}"))
                    .as("only the event it is stopped at can be moved aside").isEqualTo(409);
            assertThat(relay.postActuator("deadletter", "{\"eventId\":\"" + oversized + "\"}")).isEqualTo(202);

            Set<String> rest = new HashSet<>(after.eventIds());
            rest.add(sameOrderNext);
            await().atMost(Duration.ofSeconds(90)).until(() -> recorder.distinctIds(rest).size() == rest.size());
            await().atMost(Duration.ofSeconds(30)).until(relay::isStreaming);
            List<Received> moved = deadLetters.receivedOf(Set.of(oversized));
            assertThat(moved).hasSize(1);
            Received deadLetter = moved.get(0);
            assertThat(deadLetter.key()).isEqualTo(bigOrder);
            assertThat(deadLetter.value()).contains("\"blob\"");
            assertThat(deadLetter.headers()).containsEntry("eventType", "OrderCreated")
                    .containsEntry("aggregateSequence", "1").containsEntry("relay.dlt.original-topic", TOPIC);
            assertThat(deadLetter.headers().get("relay.dlt.reason")).contains("RecordTooLargeException");
            assertThat(relay.metric("relay_events_dead_lettered_total")).isEqualTo(1.0);
            assertThat(relay.actuator("deadletter")).contains("\"stopped\":false");

            List<Received> received = recorder.receivedOf(new HashSet<>(recorder.received().stream()
                    .map(Received::id).filter(id -> !id.equals(sameOrderNext)).toList()));
            assertThat(TopicRecorder.outOfOrderKeys(received)).isEmpty();
        } finally {
            relay.terminate();
        }
    }

    private static String insert(String orderId, long sequence, String type, String payload) throws Exception {
        String eventId = UUID.randomUUID().toString();
        try (Connection c = DriverManager.getConnection(infra.ordersJdbcUrl(), "order_app", "order_app");
                PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (id, aggregate_type, aggregate_id, "
                        + "aggregate_sequence, type, payload, created_at) VALUES (?::uuid, 'order', ?, ?, ?, ?::jsonb, "
                        + "now())")) {
            insert.setString(1, eventId);
            insert.setString(2, orderId);
            insert.setLong(3, sequence);
            insert.setString(4, type);
            insert.setString(5, payload);
            insert.executeUpdate();
        }
        return eventId;
    }
}
