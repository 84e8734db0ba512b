package io.outboxcdc.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.relay.support.OutboxRowWriter;
import io.outboxcdc.relay.support.RelayProcess;
import io.outboxcdc.relay.support.TopicRecorder;
import io.outboxcdc.relay.support.TopicRecorder.Received;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 12 point 2: nothing in the WAL stops the relay. While events flow, the application role, the relay's
 * role and the database owner write everything that is not an outbox insert into the replication stream:
 * logical decoding messages (transactional or not, any prefix, one inside a transaction that also writes an
 * event), updates, deletes and a truncate of the outbox, a table added to the publication by mistake. Every
 * event still arrives, in order, and nothing else does. First with the defaults (filtered inside PostgreSQL and
 * Debezium), then with a publication that lets everything through and Debezium's filters off, where the relay's
 * own defence skips and counts each kind.
 */
@RealInfrastructure
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayForeignRecordsIntegrationTests {

    private static final String TOPIC = "orders_foreign_it";
    private static final String OFFSETS = "outbox-relay.offsets.foreign_it";

    private static TestInfrastructure infra;
    private static TopicRecorder recorder;
    private final List<RelayProcess> relays = new ArrayList<>();

    @BeforeAll
    static void setUp(TestInfrastructure testInfrastructure) {
        infra = testInfrastructure;
        infra.migrateOrders();
        recorder = new TopicRecorder(infra.kafkaBootstrapServers(), TOPIC);
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        recorder.close();
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(RelayProcess::terminate);
    }

    @Test
    @Order(1)
    void foreignRecordsUnderLoadAreFilteredAtTheSourceAndPublishingGoesOn() throws Exception {
        RelayProcess relay = start("relay-foreign-default");
        await().atMost(Duration.ofSeconds(90)).until(relay::isStreaming);

        List<String> expected = writeEventsWithNoise("dflt", relay);

        awaitPublished(expected, relay);
        assertThat(relay.log()).doesNotContain("RELAY STOPPED");
        // Filtered inside PostgreSQL (insert-only publication) and Debezium: nothing foreign reached the relay.
        assertThat(relay.metric("relay_records_skipped_total{kind=\"message\"}")).isZero();
        assertThat(relay.metric("relay_records_skipped_total{kind=\"outbox-update\"}")).isZero();
        assertThat(relay.metric("relay_records_skipped_total{kind=\"other-table\"}")).isZero();
        assertSlotPassesTheNoise(relay);
    }

    @Test
    @Order(2)
    void withEveryFilterOffTheRelaySkipsAndCountsEachKindAndPublishingGoesOn() throws Exception {
        owner("ALTER PUBLICATION " + infra.layout().publication()
                + " SET (publish = 'insert, update, delete, truncate')");
        RelayProcess relay = start("relay-foreign-unfiltered", "--relay.filter-at-source=false",
                "--relay.debezium.table.include.list=public.outbox,public.orders");
        await().atMost(Duration.ofSeconds(90)).until(relay::isStreaming);

        List<String> expected = writeEventsWithNoise("open", relay);

        awaitPublished(expected, relay);
        assertThat(relay.log()).doesNotContain("RELAY STOPPED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(relay.metric("relay_records_skipped_total{kind=\"message\"}"))
                    .as("messages: app and relay role, transactional or not").isGreaterThanOrEqualTo(5);
            assertThat(relay.metric("relay_records_skipped_total{kind=\"outbox-update\"}")).isGreaterThanOrEqualTo(1);
            assertThat(relay.metric("relay_records_skipped_total{kind=\"outbox-delete\"}")).isGreaterThanOrEqualTo(2);
            assertThat(relay.metric("relay_records_skipped_total{kind=\"truncate\"}")).isGreaterThanOrEqualTo(1);
            assertThat(relay.metric("relay_records_skipped_total{kind=\"other-table\"}")).isGreaterThanOrEqualTo(1);
            assertThat(relay.metric("relay_records_skipped_total{kind=\"heartbeat\"}")).isGreaterThanOrEqualTo(1);
        });
        assertSlotPassesTheNoise(relay);
    }

    /**
     * Writes 1 600 events over 80 aggregates in the background and, while they flow, every kind of foreign
     * record; returns the ids of all events written (including one written in a transaction with a message).
     */
    private List<String> writeEventsWithNoise(String prefix, RelayProcess relay) throws Exception {
        OutboxRowWriter writer = new OutboxRowWriter(infra.ordersJdbcUrl());
        AtomicBoolean healthyThroughout = new AtomicBoolean(true);
        CompletableFuture<Void> writing = writer.writeAsync(prefix, 80, 20, 8, 5_000_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.distinctIds(Set.copyOf(writer.eventIds())).size() > 200);
        List<String> extra = new ArrayList<>();

        asRole("order_app", "SELECT pg_logical_emit_message(true, 'x', 'y')");
        asRole("order_app", "SELECT pg_logical_emit_message(false, 'any.prefix', 'non-transactional')");
        asRole("outbox_relay", "SELECT pg_logical_emit_message(true, 'outbox-relay.heartbeat', 'impostor')");
        asRole("outbox_relay", "SELECT pg_logical_emit_message(false, '', '')");
        extra.add(eventInTransactionWithMessage(prefix));
        checkHealth(relay, healthyThroughout);

        String victim = writer.eventIds().get(0);
        owner("UPDATE outbox SET type = type WHERE id = '" + victim + "'");
        asRole("order_app", "DELETE FROM outbox WHERE id = '" + writer.eventIds().get(1) + "'");
        owner("DELETE FROM outbox WHERE id = '" + writer.eventIds().get(2) + "'");
        owner("ALTER PUBLICATION " + infra.layout().publication() + " ADD TABLE orders");
        owner("INSERT INTO orders (id, customer_id, currency, status, total, event_sequence, created_at, updated_at) "
                + "VALUES ('" + UUID.randomUUID() + "', 'c-foreign', 'EUR', 'CREATED', 1.00, 1, now(), now())");
        checkHealth(relay, healthyThroughout);
        writing.get(2, TimeUnit.MINUTES);

        // A truncate only once the writer is done (it removes rows, not their WAL: their events still arrive).
        owner("TRUNCATE outbox");
        owner("ALTER PUBLICATION " + infra.layout().publication() + " DROP TABLE orders");
        // The last event comes after all the noise: its arrival proves the stream went past every foreign record.
        OutboxRowWriter last = new OutboxRowWriter(infra.ordersJdbcUrl());
        last.write(prefix + "-last", 1, 1, 1, 1, 0);
        checkHealth(relay, healthyThroughout);
        assertThat(healthyThroughout).as("relay health stayed UP while foreign records flowed").isTrue();

        List<String> all = new ArrayList<>(writer.eventIds());
        all.addAll(extra);
        all.addAll(last.eventIds());
        return all;
    }

    private void awaitPublished(List<String> expected, RelayProcess relay) {
        Set<String> ids = new HashSet<>(expected);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> recorder.distinctIds(ids).size() == ids.size());
        List<Received> received = recorder.receivedOf(ids);
        assertThat(TopicRecorder.outOfOrderKeys(received)).isEmpty();
        assertThat(recorder.received()).as("only events, each with an id").allSatisfy(r ->
                assertThat(r.headers()).containsKeys("id", "eventType", "aggregateSequence"));
        assertThat(relay.isStreaming()).isTrue();
    }

    /** The slot's confirmed position passes the WAL written so far: no foreign record pins it. */
    private void assertSlotPassesTheNoise(RelayProcess relay) throws SQLException {
        String walAfterNoise = ownerQuery("SELECT pg_current_wal_lsn()::text");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ownerQuery(
                "SELECT confirmed_flush_lsn >= '" + walAfterNoise + "'::pg_lsn FROM pg_replication_slots "
                        + "WHERE slot_name = '" + infra.layout().replicationSlot() + "'")).isEqualTo("t"));
    }

    private String eventInTransactionWithMessage(String prefix) throws SQLException {
        String eventId = UUID.randomUUID().toString();
        try (Connection c = DriverManager.getConnection(infra.ordersJdbcUrl(), "order_app", "order_app");
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT pg_logical_emit_message(true, 'app.audit', 'inside the order transaction')");
            s.execute("INSERT INTO outbox (id, aggregate_type, aggregate_id, aggregate_sequence, type, payload, "
                    + "created_at) VALUES ('" + eventId + "', 'order', '" + prefix + "-with-message', 1, "
                    + "'OrderCreated', '{\"schemaVersion\":1}', now())");
            c.commit();
        }
        return eventId;
    }

    private static void checkHealth(RelayProcess relay, AtomicBoolean healthy) {
        if (!relay.isStreaming()) {
            healthy.set(false);
        }
    }

    private static void asRole(String role, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(infra.ordersJdbcUrl(), role, role);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void owner(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(infra.ordersJdbcUrl(), infra.superuser(), "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String ownerQuery(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(infra.ordersJdbcUrl(), infra.superuser(), "");
                Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private RelayProcess start(String name, String... extraArgs) {
        RelayProcess relay = RelayProcess.start(name, infra, TOPIC, OFFSETS, extraArgs);
        relays.add(relay);
        return relay;
    }
}
