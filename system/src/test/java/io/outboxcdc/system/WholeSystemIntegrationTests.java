package io.outboxcdc.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.verify.VerificationReport;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

// Issue 6: the whole system as separate processes, 1 000 orders through REST (idempotent retries and
// cancellations), and the shared verification passes: every committed order billed exactly once.
// Issue 16 adds, on the same stack (one start for all): heartbeats move the slot on an idle outbox, WAL
// retention stays bounded while the relay idles in a busy cluster, and a leader that loses its lock session
// stops while the other relay takes over, without loss and within the documented duplicate window.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeSystemIntegrationTests {

    private static LocalStack stack;

    @BeforeAll
    static void startSystem() {
        stack = SystemUnderTest.start("whole-system");
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyCommittedOrderIsBilledExactlyOnce() {
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), 1_000, 16, 0, 0.1, 0.2,
                Duration.ofSeconds(30), 7);
        LoadResult load = new LoadDriver().run(plan, System.out::println);
        System.out.println(load.summary());

        VerificationReport report = SystemUnderTest.verifier(stack)
                .verify(Duration.ofSeconds(120), Optional.of(load.acknowledgedOrders()), System.out::println);
        System.out.println(report.toText());

        assertThat(load.acknowledgedOrders()).hasSize(1_000);
        assertThat(load.idempotencyViolations()).isZero();
        assertThat(load.cancelled()).isNotEmpty();
        assertThat(report.ordersCommitted()).isEqualTo(1_000);
        assertThat(report.ordersCancelled()).isEqualTo(load.cancelled().size());
        assertThat(report.missingInvoices()).isZero();
        assertThat(report.doubleEffects()).isZero();
        assertThat(report.orphanInvoices()).isZero();
        assertThat(report.eventsLost()).isZero();
        assertThat(report.sequenceGaps()).isZero();
        assertThat(report.invoicesIssued() + report.invoicesVoided()).isEqualTo(1_000);
        assertThat(report.invoicesVoided()).isEqualTo(load.cancelled().size());
        assertThat(report.passed()).isTrue();
    }

    // The retention job deletes published outbox rows; deletes reach the relay through the WAL and must
    // neither be published nor stop it (order-app's README explains why deleting loses nothing).
    @Test
    @Order(2)
    void deletedOutboxRowsAreNotPublishedAndTheRelayKeepsGoing() throws SQLException {
        long recordsBefore = SystemUnderTest.verifier(stack).verify(Duration.ofSeconds(60), Optional.empty(), line -> { })
                .topicRecords();
        try (Connection c = stack.postgres().superuserDataSource("orders").getConnection();
                Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox LIMIT 300)")).isEqualTo(300);
        }
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), 100, 4, 0, 0, 0.5,
                Duration.ofSeconds(30), 8);
        LoadResult load = new LoadDriver().run(plan, line -> { });

        VerificationReport report = SystemUnderTest.verifier(stack)
                .verify(Duration.ofSeconds(120), Optional.of(load.acknowledgedOrders()), System.out::println);
        System.out.println(report.toText());
        assertThat(report.missingInvoices()).isZero();
        assertThat(report.ordersCommitted()).isEqualTo(1_100);
        assertThat(report.topicRecords() - recordsBefore).as("only the new orders' events were published")
                .isEqualTo(100 + load.cancelled().size());
        assertThat(stack.relay().isHealthy()).isTrue();
    }

    /** relay.streaming.heartbeat-interval (default, not overridden by the stack). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** relay.streaming.max-batch-size: the documented at-least-once window of a relay that stops uncleanly. */
    private static final int MAX_BATCH = 2048;

    @Test
    @Order(3)
    void heartbeatsMoveTheSlotOnAnIdleOutbox() {
        SlotProbe slot = new SlotProbe(stack);
        assertThat(SystemUnderTest.verifier(stack).verify(Duration.ofSeconds(120), Optional.empty(), line -> { })
                .settled()).as("the earlier load is done").isTrue();
        long outbox = slot.outboxRows();
        long written = slot.writeUnrelatedWal(8);
        String target = slot.currentLsn();

        long begin = System.nanoTime();
        // No outbox row is written meanwhile, so only heartbeats (a logical decoding message every 10 s, see the
        // relay's README) can make the relay confirm a newer position.
        await().atMost(HEARTBEAT.multipliedBy(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> slot.confirmedPast(target) >= 0);
        System.out.printf("[whole-system] idle outbox: slot confirmed past %d bytes of unrelated WAL in %.1f s%n",
                written, (System.nanoTime() - begin) / 1e9);
        assertThat(slot.outboxRows()).as("the outbox stayed idle").isEqualTo(outbox);
    }

    @Test
    @Order(4)
    void walRetentionStaysBoundedWhileTheRelayIsIdle() {
        SlotProbe slot = new SlotProbe(stack);
        long outbox = slot.outboxRows();
        long written = 0;
        long peak = 0;
        // 4 rounds of 16 MB of WAL the relay does not publish; after each, the slot must let it go.
        for (int round = 0; round < 4; round++) {
            written += slot.writeUnrelatedWal(16);
            await().atMost(HEARTBEAT.multipliedBy(6)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                slot.checkpoint();
                return slot.retainedBytes() < 16L * 1024 * 1024;
            });
            peak = Math.max(peak, slot.retainedBytes());
        }
        System.out.printf("[whole-system] idle relay: %d MB of WAL written, retained at most %.1f MB after each "
                + "checkpoint%n", written >> 20, peak / 1048576.0);
        assertThat(written).as("WAL written meanwhile").isGreaterThan(48L * 1024 * 1024);
        assertThat(slot.outboxRows()).as("the outbox stayed idle").isEqualTo(outbox);
    }

    @Test
    @Order(5)
    void aLeaderThatLosesItsLockSessionStopsAndTheOtherRelayTakesOver() {
        SlotProbe slot = new SlotProbe(stack);
        SpringBootService first = stack.relay();
        SpringBootService second = stack.addRelay("outbox-relay-standby", FreePorts.pick());
        second.start(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(30)).until(() -> SlotProbe.leads(first) && !SlotProbe.leads(second));
        VerificationReport before = SystemUnderTest.verifier(stack).verify(Duration.ofSeconds(60), Optional.empty(),
                line -> { });

        LoadDriver driver = new LoadDriver();
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), 1_500, 8, 100, 0.1, 0.2,
                Duration.ofSeconds(60), 9);
        CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(() -> driver.run(plan, line -> { }));
        await().atMost(Duration.ofMinutes(2)).until(() -> driver.acknowledgedSoFar() >= 300 || load.isDone());
        assertThat(load).as("the lock session is killed while orders flow").isNotDone();

        // The lock is free the moment its session ends: the old leader may win it back before the other relay's
        // next try (both poll every second). Until the other one leads, kill the leader's session again.
        String lostLeadership = "relay_errors_total{kind=\"leadership\"";
        int kills = 0;
        while (!SlotProbe.leads(second) && kills < 5) {
            double noticedBefore = Math.max(0, SlotProbe.metric(first, lostLeadership));
            assertThat(slot.terminateLockSessions()).as("lock sessions ended").isOne();
            kills++;
            await().atMost(Duration.ofSeconds(30)).alias("the old leader's watchdog notices")
                    .until(() -> SlotProbe.metric(first, lostLeadership) > noticedBefore);
            await().atMost(Duration.ofSeconds(60)).alias("one relay leads again").until(() -> slot.lockHolders() == 1
                    && SlotProbe.leads(first) != SlotProbe.leads(second));
        }
        assertThat(SlotProbe.leads(second)).as("the other relay leads after %d lock session kills", kills).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> SlotProbe.leads(second) && second.isHealthy());

        LoadResult result = load.join();
        VerificationReport after = SystemUnderTest.verifier(stack).verify(Duration.ofSeconds(180),
                Optional.of(result.acknowledgedOrders()), System.out::println);
        System.out.println(after.toText());
        long duplicates = after.topicDuplicateRecords() - before.topicDuplicateRecords();
        System.out.printf("[whole-system] leadership lost %d time(s) under load: %d duplicate records%n", kills,
                duplicates);
        assertThat(after.failures()).as(after.examples().toString()).isEmpty();
        assertThat(result.idempotencyViolations()).isZero();
        assertThat(after.ordersCommitted() - before.ordersCommitted()).isEqualTo(result.acknowledgedOrders().size());
        assertThat(duplicates).as("duplicates within the at-least-once window (one batch per lost leader)")
                .isLessThanOrEqualTo((long) MAX_BATCH * kills);
        assertThat(first.isHealthy()).as("the old leader stays up as a standby").isTrue();
        second.stop();
    }
}
