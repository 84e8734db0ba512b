package io.outboxcdc.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.contracts.EventHeaders;
import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.system.OutboxCdc;
import io.outboxcdc.system.SystemUnderTest;
import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.verify.VerificationReport;
import io.outboxcdc.testkit.faults.Outage;
import io.outboxcdc.testkit.faults.TopicInjector;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

// Issue 7: every part killed or cut under load; afterwards every committed order has exactly one invoice in
// its final state, no orphan, nothing lost, no gap. One stack serves all scenarios (the invariants are global,
// so each verification also re-proves the earlier scenarios); logs and reports stay in
// system/target/system-tests/failure-injection/.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureInjectionIntegrationTests {

    private static final int ORDERS = 2_000;
    /** Orders per second offered by most scenarios. */
    private static final int RATE = 150;
    /** Every order billed in its final state within this time after the fault ended (a loaded 2-core box). */
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    private static final Path HOME = SystemUnderTest.home("failure-injection");
    private static final ScenarioReport REPORT = new ScenarioReport(Path.of("target", "failure-scenarios.md").toAbsolutePath());

    private static LocalStack stack;
    private static long seed = 1;

    @BeforeAll
    static void startSystem() {
        stack = SystemUnderTest.start("failure-injection", true);
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            SystemUnderTest.stop(stack);
        }
    }

    @Test
    @Order(1)
    void relaySigkilledMidStream() {
        scenario("1 relay SIGKILL mid-stream", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(600);
            stack.relay().kill();
            fault.recoveryStarts();
            stack.relay().start(Duration.ofSeconds(120));
        });
    }

    @Test
    @Order(2)
    void relaySigtermIsGracefulAndDuplicateFree() {
        VerificationReport report = scenario("2 relay SIGTERM (graceful)", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(600);
            assertThat(stack.relay().stop()).as("the relay exits on SIGTERM within its grace period").isTrue();
            fault.recoveryStarts();
            stack.relay().start(Duration.ofSeconds(120));
        });
        assertThat(lastDuplicatesDelivered).as("duplicates on the topic after a graceful stop").isZero();
        assertThat(report.passed()).isTrue();
    }

    @Test
    @Order(3)
    void billingSigkilledThreeTimes() {
        // A slower load (20 orders/s, 100 s) so that three kills, each followed by a restart that can take 5-35 s
        // on a loaded 2-core box, all land while orders are still coming (at 150/s the load ended first).
        scenario("3 billing SIGKILL x3", 400, Duration.ofSeconds(150), 20, fault -> {
            for (int kill : new int[] {100, 300, 500}) {
                fault.afterAcknowledged(kill);
                stack.billing().kill();
                fault.recoveryStarts();
                stack.billing().start(Duration.ofSeconds(120));
            }
        });
    }

    @Test
    @Order(4)
    void brokerSigkilledForFifteenSeconds() {
        scenario("4 Kafka broker SIGKILL, down 15 s", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(500);
            stack.kafka().kill();
            Outage.holdFor(Duration.ofSeconds(15));
            fault.recoveryStarts();
            stack.kafka().start();
        });
    }

    @Test
    @Order(5)
    void postgresRestartedWhileEverythingRuns() {
        scenario("5a PostgreSQL restart (fast shutdown)", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(600);
            stack.postgres().stop();
            fault.recoveryStarts();
            stack.postgres().start();
        });
    }

    @Test
    @Order(6)
    void walsenderTerminated() {
        scenario("5b walsender pg_terminate_backend", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(600);
            await().atMost(Duration.ofSeconds(30)).until(() -> terminateWalsender() > 0);
            fault.recoveryStarts();
        });
    }

    @Test
    @Order(7)
    void networkCutBetweenRelayAndKafka() {
        scenario("6 network cut relay<->Kafka 10 s", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(500);
            SystemUnderTest.relayKafkaProxy(stack).blackhole();
            Outage.holdFor(Duration.ofSeconds(10));
            fault.recoveryStarts();
            SystemUnderTest.relayKafkaProxy(stack).restore();
        });
    }

    @Test
    @Order(8)
    void duplicateStormHasNoNewEffects() {
        Map<UUID, String> before = new java.util.HashMap<>();
        Map<UUID, String> after = new java.util.HashMap<>();
        long[] ledgerBefore = new long[1];
        // The one fault on a settled system, by design (0 orders still to come): a replay of the whole topic must
        // change nothing, which can only be compared once nothing else changes invoices.
        VerificationReport report = scenario("7 duplicate storm (group reset to earliest)", 0, RECOVERY, fault -> {
            fault.afterLoad();
            VerificationReport settled = verify(Duration.ofSeconds(180));
            assertThat(settled.settled()).as("billed before the storm").isTrue();
            ledgerBefore[0] = settled.ledgerEffects();
            before.putAll(invoiceStates());
            stack.billing().stop();
            resetBillingGroupToEarliest();
            fault.recoveryStarts();
            stack.billing().start(Duration.ofSeconds(120));
            long end = topicEndOffsets();
            await().atMost(Duration.ofMinutes(5)).until(() -> billingCommittedOffsets() >= end);
            after.putAll(invoiceStates());
        });
        assertThat(after).as("invoices (status, amount, updated_at) after replaying the whole topic").isEqualTo(before);
        assertThat(report.ledgerEffects()).as("effects in billing's ledger after replaying the whole topic")
                .isEqualTo(ledgerBefore[0]);
    }

    @Test
    @Order(9)
    void poisonRecordsGoToTheDeadLetterTopic() {
        long dltBefore = verify(Duration.ofSeconds(60)).deadLettered();
        List<String> poisons = List.of("not json at all", "{\"schemaVersion\":1}", "{\"schemaVersion\":99}",
                "[1,2,3]", "{\"schemaVersion\":1,\"eventId\":42,\"orderId\":true,\"occurredAt\":\"yesterday\"}");
        VerificationReport report = scenario("8 poison records between real events", 500, RECOVERY, fault -> {
            try (TopicInjector injector = new TopicInjector(stack.config().kafkaBootstrapServers())) {
                int at = 200;
                for (String poison : poisons) {
                    fault.afterAcknowledged(at);
                    at += 300;
                    injector.send(LocalStack.ORDERS_TOPIC, UUID.randomUUID().toString(), poison, Map.of(
                            EventHeaders.ID, UUID.randomUUID().toString(), EventHeaders.EVENT_TYPE, "OrderCreated",
                            EventHeaders.AGGREGATE_SEQUENCE, "1"));
                }
            }
            fault.recoveryStarts();
        });
        assertThat(report.deadLettered() - dltBefore).isEqualTo(poisons.size());
    }

    @Test
    @Order(10)
    void orderAppSigkilledDuringLoad() {
        scenario("9 order-app SIGKILL during load", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(700);
            stack.orderApp().kill();
            fault.recoveryStarts();
            stack.orderApp().start(Duration.ofSeconds(120));
        });
    }

    @Test
    @Order(11)
    void standbyRelayTakesOver() {
        SpringBootService standby = stack.addRelay("outbox-relay-standby", FreePorts.pick());
        standby.start(Duration.ofSeconds(120));
        scenario("10 two relays, active SIGKILLed", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(600);
            stack.relay().kill();
            fault.recoveryStarts();
        });
        // Back to one relay for the next scenarios: the standby (now active) hands over on SIGTERM.
        stack.relay().start(Duration.ofSeconds(120));
        standby.stop();
    }

    @Test
    @Order(12)
    void relayCatchesUpAfterBeingStopped() {
        long[] wal = new long[2];
        double[] catchUp = new double[1];
        String[] restartLsnAtStop = new String[1];
        scenario("11 relay stopped during load, then started", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(100);
            assertThat(stack.relay().stop()).as("the relay exits on SIGTERM within its grace period").isTrue();
            restartLsnAtStop[0] = slotLsn("restart_lsn");
            long retainedAtStop = retainedWalBytes();
            fault.afterLoad();
            wal[0] = retainedWalBytes();
            // Nothing is lost while no relay reads: the slot keeps every byte written since it stopped.
            assertThat(slotLsn("restart_lsn")).as("restart_lsn while the relay is down").isEqualTo(restartLsnAtStop[0]);
            assertThat(wal[0]).as("retained WAL grew by the load's WAL while the relay was down")
                    .isGreaterThan(retainedAtStop);
            fault.recoveryStarts();
            long begin = System.nanoTime();
            stack.relay().start(Duration.ofSeconds(120));
            long target = outboxRows();
            await().atMost(Duration.ofMinutes(3)).until(() -> distinctEventsOnTopic() >= target);
            catchUp[0] = (System.nanoTime() - begin) / 1e9;
        });
        // Once caught up, the relay's confirmations let PostgreSQL release that WAL: restart_lsn moves past where it
        // stood at the stop (at the next running-transactions record, which a CHECKPOINT writes).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            stack.postgres().execute("orders", "CHECKPOINT");
            wal[1] = retainedWalBytes();
            return lsnAdvance(restartLsnAtStop[0]) > 0 && wal[1] < wal[0];
        });
        System.out.printf("[scenario] 11 catch-up %.1f s; slot retained WAL %d bytes before start, %d after%n",
                catchUp[0], wal[0], wal[1]);
    }

    @Test
    @Order(13)
    void twoBillingInstancesOneSigkilled() {
        SpringBootService second = stack.addBilling("billing-consumer-2", FreePorts.pick());
        second.start(Duration.ofSeconds(120));
        scenario("12 two billing instances, one SIGKILLed", 1_000, RECOVERY, fault -> {
            fault.afterAcknowledged(700);
            stack.billing().kill();
            fault.recoveryStarts();
        });
        stack.billing().start(Duration.ofSeconds(120));
        second.stop();
    }

    // --- the scenario harness -------------------------------------------------------------------------

    private static long lastDuplicatesDelivered;

    /**
     * Where a fault script is in the load, and when the system starts to recover. A fault point is reached only
     * while the load still runs: if the load ends first, the scenario fails instead of injecting into an idle
     * system. The fewest orders still to come at any injection is recorded for the table.
     */
    final class Fault {
        private final LoadDriver driver;
        private final CompletableFuture<LoadResult> load;
        private final int planned;
        private volatile long recoveryStartedAt = System.nanoTime();
        private volatile long fewestStillToCome = -1;

        Fault(LoadDriver driver, CompletableFuture<LoadResult> load, int planned) {
            this.driver = driver;
            this.load = load;
            this.planned = planned;
        }

        void afterAcknowledged(int orders) {
            await().atMost(Duration.ofMinutes(3)).until(() -> driver.acknowledgedSoFar() >= orders || load.isDone());
            long stillToCome = planned - driver.acknowledgedSoFar();
            assertThat(load.isDone()).as("the load ended before the fault point (%d acknowledged): the fault would "
                    + "land on an idle system", orders).isFalse();
            fewestStillToCome = fewestStillToCome < 0 ? stillToCome : Math.min(fewestStillToCome, stillToCome);
        }

        /** For the one scenario whose fault is, by design, on the settled system (the duplicate storm). */
        void afterLoad() {
            load.join();
            if (fewestStillToCome < 0) {
                fewestStillToCome = 0;
            }
        }

        void recoveryStarts() {
            recoveryStartedAt = System.nanoTime();
        }
    }

    /**
     * Runs the load with the fault script and then checks, besides the shared verification: no idempotent retry
     * created a second order, the orders committed during the scenario are exactly the acknowledged ones, the
     * fault landed with at least {@code minStillToCome} orders still to come, and the system recovered (every
     * order billed in its final state) within {@code recoveryBound} of the end of the fault.
     */
    private VerificationReport scenario(String name, int minStillToCome, Duration recoveryBound, Consumer<Fault> script) {
        return scenario(name, minStillToCome, recoveryBound, RATE, script);
    }

    private VerificationReport scenario(String name, int minStillToCome, Duration recoveryBound, int ratePerSecond,
            Consumer<Fault> script) {
        VerificationReport before = verify(Duration.ofSeconds(5));
        LoadDriver driver = new LoadDriver();
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), ORDERS, 16, ratePerSecond, 0.1, 0.2,
                Duration.ofSeconds(90), seed++);
        CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(() -> driver.run(plan, line -> { }));
        Fault fault = new Fault(driver, load, plan.orders());
        script.accept(fault);
        LoadResult result = load.join();
        System.out.println("[" + name + "] " + result.summary());
        long verifyStarted = System.nanoTime();
        VerificationReport after = OutboxCdc.verifier(stack.config()).verify(Duration.ofSeconds(180),
                Optional.of(result.acknowledgedOrders()), line -> { });
        // From the end of the fault to the moment the verifier saw every order in its final state.
        double recovery = Math.max(0, (verifyStarted - fault.recoveryStartedAt) / 1e9) + after.settledAfterSeconds();
        save(name, after);
        System.out.println("[" + name + "] " + after.toText());
        lastDuplicatesDelivered = after.topicDuplicateRecords() - before.topicDuplicateRecords();
        String suppressed = suppressedDuring(before, after);
        long committedDuring = after.ordersCommitted() - before.ordersCommitted();
        boolean allHeld = after.passed() && result.idempotencyViolations() == 0
                && committedDuring == result.acknowledgedOrders().size() && fault.fewestStillToCome >= minStillToCome
                && recovery <= recoveryBound.toSeconds();
        REPORT.add(new ScenarioReport.Row(name, result.acknowledgedOrders().size(), committedDuring,
                result.idempotencyViolations(), fault.fewestStillToCome, after.topicRecords() - before.topicRecords(),
                lastDuplicatesDelivered, suppressed, after.eventsLost(), after.doubleEffects(), recovery,
                recoveryBound.toSeconds(), allHeld));
        assertThat(result.acknowledgedOrders()).as("orders acknowledged").hasSizeGreaterThanOrEqualTo(ORDERS * 9 / 10);
        assertThat(result.idempotencyViolations()).as(name + ": idempotent retries that returned another order")
                .isZero();
        assertThat(after.failures()).as(name + ": " + after.examples()).isEmpty();
        assertThat(committedDuring).as(name + ": orders committed during the scenario == orders acknowledged "
                + "(none lost: the verifier found every acknowledged id; none extra: no commit the client never saw)")
                .isEqualTo(result.acknowledgedOrders().size());
        assertThat(fault.fewestStillToCome).as(name + ": orders still to come when the fault landed")
                .isGreaterThanOrEqualTo(minStillToCome);
        assertThat(after.settled()).as(name + ": settled").isTrue();
        assertThat(recovery).as(name + ": seconds from the end of the fault until every order was billed")
                .isLessThanOrEqualTo(recoveryBound.toSeconds());
        assertThat(after.passed()).isTrue();
        return after;
    }

    /**
     * The billing counter lives in the consumer process: a delta when the same process served the whole
     * scenario, its value since the last restart otherwise (marked *).
     */
    private static String suppressedDuring(VerificationReport before, VerificationReport after) {
        if (after.duplicatesSuppressed() == null) {
            return "n/a";
        }
        long now = after.duplicatesSuppressed();
        Long then = before.duplicatesSuppressed();
        return then != null && now >= then ? String.valueOf(now - then) : now + "*";
    }

    private static VerificationReport verify(Duration settle) {
        return OutboxCdc.verifier(stack.config()).verify(settle, Optional.empty(), line -> { });
    }

    private static void save(String name, VerificationReport report) {
        try {
            Path dir = HOME.resolve("reports");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".json"),
                    JsonMapper.builder().build().writeValueAsString(report));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long terminateWalsender() {
        return queryLong("orders", "SELECT count(pg_terminate_backend(active_pid)) FROM pg_replication_slots "
                + "WHERE slot_name = '" + stack.layout().replicationSlot() + "' AND active_pid IS NOT NULL");
    }

    private static long retainedWalBytes() {
        return queryLong("orders", "SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint "
                + "FROM pg_replication_slots WHERE slot_name = '" + stack.layout().replicationSlot() + "'");
    }

    private static String slotLsn(String column) {
        try (Connection c = stack.postgres().superuserDataSource("orders").getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + column + "::text FROM pg_replication_slots WHERE slot_name = '"
                        + stack.layout().replicationSlot() + "'")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes the slot's restart_lsn has moved past {@code lsn}. */
    private static long lsnAdvance(String lsn) {
        return queryLong("orders", "SELECT pg_wal_lsn_diff(restart_lsn, '" + lsn + "'::pg_lsn)::bigint "
                + "FROM pg_replication_slots WHERE slot_name = '" + stack.layout().replicationSlot() + "'");
    }

    private static long outboxRows() {
        return queryLong("orders", "SELECT count(*) FROM outbox");
    }

    private static long distinctEventsOnTopic() {
        VerificationReport now = verify(Duration.ZERO);
        return now.outboxEvents() - now.eventsLost();
    }

    private static Map<UUID, String> invoiceStates() {
        Map<UUID, String> states = new java.util.HashMap<>();
        try (Connection c = stack.postgres().superuserDataSource("billing").getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT order_id, status, amount, updated_at FROM invoices")) {
            while (rs.next()) {
                states.put((UUID) rs.getObject(1), rs.getString(2) + "/" + rs.getBigDecimal(3) + "/" + rs.getTimestamp(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return states;
    }

    private static void resetBillingGroupToEarliest() {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.config().kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> zero = new java.util.HashMap<>();
            for (TopicPartition tp : partitions(admin)) {
                zero.put(tp, new OffsetAndMetadata(0));
            }
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    admin.alterConsumerGroupOffsets(LocalStack.BILLING_GROUP, zero).all().get());
        } catch (Exception e) {
            throw new IllegalStateException("resetting the billing group failed", e);
        }
    }

    private static long billingCommittedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.config().kafkaBootstrapServers()))) {
            return admin.listConsumerGroupOffsets(LocalStack.BILLING_GROUP).partitionsToOffsetAndMetadata().get().entrySet()
                    .stream().filter(e -> e.getKey().topic().equals(LocalStack.ORDERS_TOPIC))
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    private static long topicEndOffsets() {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.config().kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (TopicPartition tp : partitions(admin)) {
                latest.put(tp, OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("reading the end offsets failed", e);
        }
    }

    private static List<TopicPartition> partitions(Admin admin) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(List.of(LocalStack.ORDERS_TOPIC)).allTopicNames().get().get(LocalStack.ORDERS_TOPIC)
                .partitions().forEach(p -> partitions.add(new TopicPartition(LocalStack.ORDERS_TOPIC, p.partition())));
        return partitions;
    }

    private static long queryLong(String database, String sql) {
        try (Connection c = stack.postgres().superuserDataSource(database).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
