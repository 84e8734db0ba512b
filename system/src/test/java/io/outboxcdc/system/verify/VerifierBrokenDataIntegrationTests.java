package io.outboxcdc.system.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.runtime.postgres.Migrations;
import io.outboxcdc.system.verify.PipelineFixture.Placed;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Issue 16: the verifier fed deliberately broken data on the real PostgreSQL and Kafka: a lost event, double
// effects (issued twice; issued, voided, re-issued; voided twice), a gap, an orphan. Each fails with its own
// message, and the same data without the break passes (so the failures come from the break, not the fixture).
@RealInfrastructure
class VerifierBrokenDataIntegrationTests {

    private static final AtomicInteger TOPICS = new AtomicInteger();

    private final TestInfrastructure infra;
    private PipelineFixture fixture;

    VerifierBrokenDataIntegrationTests(TestInfrastructure infra) {
        this.infra = infra;
    }

    @BeforeAll
    static void schema(TestInfrastructure infra) {
        // The verifier reads the orders and outbox tables (V1, V2); later versions add the relay's slot, which
        // nothing would read here and which would only hold WAL.
        Flyway.configure().dataSource(infra.ordersJdbcUrl(), infra.superuser(), "")
                .locations("filesystem:" + Migrations.sourceFolder("orders"))
                .placeholders(Map.of("app_role", infra.orderAppRole().name(), "relay_role",
                        infra.replicationRole().name(), "publication", infra.layout().publication(),
                        "replication_slot", infra.layout().replicationSlot()))
                .target("2").load().migrate();
        infra.migrateBilling();
    }

    @BeforeEach
    void emptyDatabasesAndAFreshTopic() {
        infra.postgres().execute(infra.layout().ordersDatabase(),
                "TRUNCATE orders, order_items, outbox, idempotency_keys");
        infra.postgres().execute(infra.layout().billingDatabase(),
                "TRUNCATE invoices, processed_events, order_progress, parked_events, invoice_effects");
        fixture = new PipelineFixture(infra, "verifier-" + TOPICS.incrementAndGet() + "-" + UUID.randomUUID());
    }

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    private VerificationReport verify() {
        return fixture.verifier().verify(Duration.ZERO, Optional.empty(), line -> { });
    }

    @Test
    void aDeliveredPipelinePassesIncludingARedeliveredDuplicate() {
        fixture.delivered(false);
        Placed cancelled = fixture.delivered(true);
        fixture.publish(cancelled, 2); // at-least-once: the same event id twice on the topic is allowed

        VerificationReport report = verify();

        assertThat(report.failures()).as(report.toText()).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(report.settled()).isTrue();
        assertThat(report.ordersCommitted()).isEqualTo(2);
        assertThat(report.ledgerEffects()).isEqualTo(3);
        assertThat(report.topicRecords()).isEqualTo(4);
        assertThat(report.topicDuplicateRecords()).isOne();
    }

    @Test
    void aLostEventFailsAsLostAndNamesTheEvent() {
        Placed order = fixture.place(true);
        fixture.publish(order, 1); // the cancellation never reaches the topic, so billing never voids
        fixture.inbox(order.created(), order.orderId(), 1);
        fixture.invoice(order.orderId(), "ISSUED");
        fixture.effect(order.created(), order.orderId(), "ISSUED", PipelineFixture.TOTAL);

        VerificationReport report = verify();

        assertThat(report.passed()).isFalse();
        assertThat(report.settled()).isFalse();
        assertThat(report.eventsLost()).isOne();
        assertThat(report.failures()).containsExactlyInAnyOrder(
                "1 outbox events never reached the topic",
                "1 orders with a sequence gap",
                "1 committed orders without the right invoice",
                "1 committed orders without their final effects in the ledger (ISSUED, and VOIDED if cancelled)");
        assertThat(report.examples())
                .contains("outbox event " + order.cancelledEvent() + " is not on topic " + fixture.topic());
    }

    @Test
    void anOrderIssuedTwiceIsADoubleEffectEvenWithOneCorrectInvoice() {
        Placed order = fixture.delivered(false);
        fixture.effect(order.created(), order.orderId(), "ISSUED", PipelineFixture.TOTAL); // the same event again

        VerificationReport report = verify();

        assertThat(report.missingInvoices()).as("the invoices table looks right").isZero();
        assertThat(report.doubleEffects()).isOne();
        assertThat(report.failures()).containsExactly("1 double effects (an order issued or voided more than once)");
        assertThat(report.examples()).singleElement().asString()
                .startsWith("order " + order.orderId() + " has 2 ISSUED and 0 VOIDED effects in the ledger");
    }

    @Test
    void issuedVoidedAndReissuedIsADoubleEffectOutOfOrder() {
        Placed order = fixture.delivered(true);
        fixture.effect(order.created(), order.orderId(), "ISSUED", PipelineFixture.TOTAL); // a replay re-issued it

        VerificationReport report = verify();

        assertThat(report.missingInvoices()).isZero();
        assertThat(report.failures()).containsExactlyInAnyOrder(
                "1 double effects (an order issued or voided more than once)",
                "1 orders with effects out of order (voided before issued, or re-issued)");
    }

    @Test
    void aCancellationAppliedTwiceIsADoubleEffect() {
        Placed order = fixture.delivered(true);
        fixture.effect(order.cancelledEvent(), order.orderId(), "VOIDED", PipelineFixture.TOTAL);

        VerificationReport report = verify();

        assertThat(report.failures()).containsExactly("1 double effects (an order issued or voided more than once)");
        assertThat(report.examples()).singleElement().asString().contains("has 1 ISSUED and 2 VOIDED effects");
    }

    @Test
    void oneEventSequenceProcessedUnderTwoEventIdsIsADoubleEffect() {
        Placed order = fixture.delivered(false);
        fixture.inbox(UUID.randomUUID(), order.orderId(), 1);

        VerificationReport report = verify();

        assertThat(report.failures()).containsExactly("1 double effects (an order issued or voided more than once)");
        assertThat(report.examples()).singleElement().asString()
                .isEqualTo("order " + order.orderId() + " sequence 1 processed 2 times under different event ids");
    }

    @Test
    void aSequenceGapOnTheTopicFailsAsAGap() {
        // The OrderCreated row was already deleted by retention (so it is not "lost"), but it never reached the
        // topic: the order's events on the topic start at sequence 2.
        Placed order = fixture.place(true);
        fixture.orders("DELETE FROM outbox WHERE id = ?", order.created());
        fixture.publish(order, 2);
        fixture.bill(order);

        VerificationReport report = verify();

        assertThat(report.eventsLost()).isZero();
        assertThat(report.failures()).containsExactly("1 orders with a sequence gap");
        assertThat(report.examples()).containsExactly(
                "order " + order.orderId() + " has no event with sequence 1 on the topic");
    }

    @Test
    void anInvoiceAndEffectsForAnOrderThatWasNeverCommittedAreOrphans() {
        fixture.delivered(false);
        UUID ghost = UUID.randomUUID();
        fixture.invoice(ghost, "ISSUED");
        fixture.effect(UUID.randomUUID(), ghost, "ISSUED", PipelineFixture.TOTAL);

        VerificationReport report = verify();

        assertThat(report.failures()).containsExactlyInAnyOrder("1 orphan invoices (no committed order)",
                "1 orphan ledger effects (orders never committed)");
        assertThat(report.examples()).contains("orphan invoice for order " + ghost + ", which is not a committed order");
    }

    @Test
    void billingThatKeepsNoLedgerFailsEvenWithRightInvoices() {
        Placed order = fixture.delivered(false);
        fixture.billing("DELETE FROM invoice_effects WHERE order_id = ?", order.orderId());

        VerificationReport report = verify();

        assertThat(report.missingInvoices()).isZero();
        assertThat(report.failures()).containsExactly(
                "1 committed orders without their final effects in the ledger (ISSUED, and VOIDED if cancelled)");
    }

    @Test
    void aVoidBeforeItsIssueAndAWrongAmountAreFound() {
        Placed order = fixture.place(true);
        fixture.publish(order);
        fixture.inbox(order.created(), order.orderId(), 1);
        fixture.inbox(order.cancelledEvent(), order.orderId(), 2);
        fixture.invoice(order.orderId(), "VOIDED");
        fixture.effect(order.cancelledEvent(), order.orderId(), "VOIDED", PipelineFixture.TOTAL);
        fixture.effect(order.created(), order.orderId(), "ISSUED", new BigDecimal("4.99"));

        VerificationReport report = verify();

        assertThat(report.failures()).containsExactlyInAnyOrder(
                "1 orders with effects out of order (voided before issued, or re-issued)",
                "1 orders with an effect amount that differs from the order total");
    }

    @Test
    void anAcknowledgedOrderThatWasNeverCommittedFails() {
        fixture.delivered(false);
        UUID acknowledgedButRolledBack = UUID.randomUUID();

        VerificationReport report = fixture.verifier().verify(Duration.ZERO, Optional.of(Set.of(acknowledgedButRolledBack)),
                line -> { });

        assertThat(report.failures()).containsExactly("1 acknowledged orders not committed");
        assertThat(report.examples()).containsExactly(
                "order " + acknowledgedButRolledBack + " was acknowledged to the client but is not committed");
    }

    @Test
    void theSettleLoopWaitsForTheLedgerAndGivesUpAtItsTimeout() {
        Placed order = fixture.place(false);
        fixture.publish(order);
        fixture.inbox(order.created(), order.orderId(), 1);
        fixture.invoice(order.orderId(), "ISSUED");
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

        long begin = System.nanoTime();
        VerificationReport report = fixture.verifier().verify(Duration.ofSeconds(2), Optional.empty(), progress::add);

        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(report.settled()).isFalse();
        assertThat(progress).first().asString().contains("1 of 1 orders not yet billed in their final state");
        assertThat(report.failures()).containsExactly(
                "1 committed orders without their final effects in the ledger (ISSUED, and VOIDED if cancelled)");
    }
}
