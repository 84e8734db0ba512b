package io.outboxcdc.billing.consumer;

import static io.outboxcdc.billing.TestEvents.orderCreated;
import static io.outboxcdc.billing.TestEvents.withTraceparent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.billing.KafkaTestSupport;
import io.outboxcdc.billing.faultinjection.CrashPoint;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The process dies where it hurts most, for real (the packaged jar in its own JVM, halted like a SIGKILL: no
 * shutdown hooks, no offset commit), and a fresh process picks up the pieces.
 */
@RealInfrastructure
class BillingCrashIntegrationTests {

    private static final String TOPIC = "orders-crash";
    private static final String DLT = "orders-crash.DLT";
    private static final String GROUP = "billing-crash";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Test
    void aKillBeforeTheDbCommitAppliesTheEffectOnceAndAKillAfterItSuppressesTheRedelivery(TestInfrastructure infra)
            throws Exception {
        JdbcTemplate db = new JdbcTemplate(infra.postgres().superuserDataSource(infra.layout().billingDatabase()));
        Map<String, String> topics = Map.of("billing.topic", TOPIC, "billing.dead-letter-topic", DLT,
                "billing.group-id", GROUP);
        try (KafkaTestSupport kafka = new KafkaTestSupport(infra.kafkaBootstrapServers())) {
            kafka.createTopics(3, TOPIC, DLT);
            UUID eventId = UUID.randomUUID();
            UUID orderId = UUID.randomUUID();
            String traceId = "0af7651916cd43dd8448eb211c80319c";
            RecordMetadata sent = kafka.send(withTraceparent(orderCreated(TOPIC, eventId, orderId),
                    "00-" + traceId + "-b7ad6b7169203331-01"));
            TopicPartition partition = new TopicPartition(TOPIC, sent.partition());

            // 1. Killed inside the transaction, after every write: none of it exists, the offset did not move.
            try (BillingProcess first = BillingProcess.start(infra, "billing-before-db-commit",
                    with(topics, "billing.test.crash-point", "before-db-commit"))) {
                assertThat(first.waitForExit(PATIENCE)).as("halted, see " + first.logFile()).isTrue();
                assertThat(first.exitCode()).isEqualTo(CrashPoint.HALT_STATUS);
            }
            assertThat(count(db, "SELECT count(*) FROM invoices WHERE order_id = ?", orderId)).isZero();
            assertThat(count(db, "SELECT count(*) FROM processed_events WHERE event_id = ?", eventId)).isZero();
            assertThat(kafka.committedOffsets(GROUP, TOPIC)).doesNotContainKey(partition);

            // 2. Redelivered, committed to the database, killed before the offset commit.
            try (BillingProcess second = BillingProcess.start(infra, "billing-after-db-commit",
                    with(topics, "billing.test.crash-point", "after-db-commit"))) {
                assertThat(second.waitForExit(PATIENCE)).as("halted, see " + second.logFile()).isTrue();
                assertThat(second.exitCode()).isEqualTo(CrashPoint.HALT_STATUS);
                // One trace id from the order's request to the invoice line in billing's log.
                assertThat(second.log().lines().filter(line -> line.contains("Invoice issued for order " + orderId)))
                        .singleElement().asString().contains(traceId);
            }
            List<Map<String, Object>> invoice = db.queryForList("SELECT * FROM invoices WHERE order_id = ?", orderId);
            assertThat(invoice).hasSize(1);
            assertThat(count(db, "SELECT count(*) FROM processed_events WHERE event_id = ?", eventId)).isEqualTo(1);
            assertThat(kafka.committedOffsets(GROUP, TOPIC)).doesNotContainKey(partition);

            // 3. Redelivered again to a healthy process: the inbox recognises it, the invoice stays as it was.
            try (BillingProcess third = BillingProcess.start(infra, "billing-after-restart", topics)) {
                await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
                    assertThat(third.isAlive()).as("running, see " + third.logFile()).isTrue();
                    assertThat(kafka.committedOffsets(GROUP, TOPIC)).containsEntry(partition, sent.offset() + 1);
                    assertThat(third.metric("billing.duplicates.suppressed")).isEqualTo(1.0);
                });
                assertThat(third.metric("billing.events.processed?tag=type:OrderCreated")).isZero();
                assertThat(third.get("/actuator/health")).contains("\"status\":\"UP\"");
            }
            assertThat(db.queryForList("SELECT * FROM invoices WHERE order_id = ?", orderId)).isEqualTo(invoice);
            assertThat(count(db, "SELECT count(*) FROM processed_events", null)).isEqualTo(1);
            assertThat(kafka.endTotal(DLT)).isZero();
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> result = new java.util.HashMap<>(base);
        result.put(key, value);
        return result;
    }

    private static long count(JdbcTemplate db, String sql, Object argument) {
        Long count = argument == null ? db.queryForObject(sql, Long.class)
                : db.queryForObject(sql, Long.class, argument);
        return count == null ? 0 : count;
    }
}
