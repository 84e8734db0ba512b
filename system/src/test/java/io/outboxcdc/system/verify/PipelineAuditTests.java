package io.outboxcdc.system.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

// Issue 16: each pipeline check fails on the case it exists for, and only on it.
class PipelineAuditTests {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final UUID id = UUID.randomUUID();

    private OrderRow order(String status, long sequence) {
        return new OrderRow(id, status, new BigDecimal("10.00"), "EUR", sequence, T0);
    }

    private InvoiceRow invoice(String status, String amount, String currency) {
        return new InvoiceRow(id, status, new BigDecimal(amount), currency, T0.plusMillis(250));
    }

    @Test
    void theRightInvoiceMatchesStatusAmountAndCurrency() {
        assertThat(PipelineAudit.rightInvoice(order("CREATED", 1), invoice("ISSUED", "10.0", "EUR"))).isTrue();
        assertThat(PipelineAudit.rightInvoice(order("CANCELLED", 2), invoice("VOIDED", "10.00", "EUR"))).isTrue();
        assertThat(PipelineAudit.rightInvoice(order("CANCELLED", 2), invoice("ISSUED", "10.00", "EUR"))).isFalse();
        assertThat(PipelineAudit.rightInvoice(order("CREATED", 1), invoice("VOIDED", "10.00", "EUR"))).isFalse();
        assertThat(PipelineAudit.rightInvoice(order("CREATED", 1), invoice("ISSUED", "10.01", "EUR"))).isFalse();
        assertThat(PipelineAudit.rightInvoice(order("CREATED", 1), invoice("ISSUED", "10.00", "USD"))).isFalse();
        assertThat(PipelineAudit.rightInvoice(order("CREATED", 1), null)).isFalse();
    }

    @Test
    void wrongInvoicesAreCountedWithAnExample() {
        Examples examples = new Examples();
        assertThat(PipelineAudit.wrongInvoices(Map.of(id, order("CREATED", 1)), Map.of(), examples)).isOne();
        assertThat(examples.list()).singleElement().asString().contains(id.toString()).contains("has invoice null");
        assertThat(PipelineAudit.wrongInvoices(Map.of(id, order("CREATED", 1)),
                Map.of(id, invoice("ISSUED", "10.00", "EUR")), new Examples())).isZero();
    }

    @Test
    void anInvoiceWithoutACommittedOrderIsAnOrphan() {
        Examples examples = new Examples();
        assertThat(PipelineAudit.orphanInvoices(Map.of(), List.of(invoice("ISSUED", "10.00", "EUR")), examples))
                .isOne();
        assertThat(examples.list()).singleElement().asString().startsWith("orphan invoice for order " + id);
        assertThat(PipelineAudit.orphanInvoices(Map.of(id, order("CREATED", 1)),
                List.of(invoice("ISSUED", "10.00", "EUR")), new Examples())).isZero();
    }

    @Test
    void anOutboxEventMissingFromTheTopicIsLost() {
        UUID there = UUID.randomUUID();
        UUID missing = UUID.randomUUID();
        Examples examples = new Examples();
        assertThat(PipelineAudit.lostEvents(Set.of(there, missing), Set.of(there), "orders", examples)).isOne();
        assertThat(examples.list()).containsExactly("outbox event " + missing + " is not on topic orders");
        assertThat(PipelineAudit.lostEvents(Set.of(there), Set.of(there), "orders", new Examples())).isZero();
    }

    @Test
    void aMissingSequenceIsAGapCountedOncePerOrder() {
        Examples examples = new Examples();
        OrderRow thirdEvent = order("CANCELLED", 3);
        assertThat(PipelineAudit.sequenceGaps(Map.of(id, thirdEvent), Map.of(id.toString(), Set.of(3L)), examples))
                .isOne();
        assertThat(examples.list()).containsExactly("order " + id + " has no event with sequence 1 on the topic");
        assertThat(PipelineAudit.sequenceGaps(Map.of(id, thirdEvent), Map.of(id.toString(), Set.of(1L, 3L)),
                new Examples())).isOne();
        assertThat(PipelineAudit.sequenceGaps(Map.of(id, thirdEvent), Map.of(id.toString(), Set.of(1L, 2L, 3L)),
                new Examples())).isZero();
        assertThat(PipelineAudit.sequenceGaps(Map.of(id, thirdEvent), Map.of(id.toString(), Set.of(1L, 2L)),
                new Examples())).as("the last event missing is a gap too").isOne();
        assertThat(PipelineAudit.sequenceGaps(Map.of(id, thirdEvent), Map.of(), new Examples())).isOne();
    }

    @Test
    void anAcknowledgedOrderThatIsNotCommittedIsFound() {
        UUID ghost = UUID.randomUUID();
        Examples examples = new Examples();
        assertThat(PipelineAudit.acknowledgedNotCommitted(Set.of(id, ghost), Map.of(id, order("CREATED", 1)), examples))
                .isOne();
        assertThat(examples.list()).singleElement().asString().contains(ghost.toString());
    }

    @Test
    void delaysRunFromOrderCommitToInvoiceOverCommittedOrdersOnly() {
        InvoiceRow orphan = new InvoiceRow(UUID.randomUUID(), "ISSUED", BigDecimal.ONE, "EUR", T0.plusSeconds(60));
        VerificationReport.Percentiles p = PipelineAudit.delays(Map.of(id, order("CREATED", 1)),
                List.of(invoice("ISSUED", "10.00", "EUR"), orphan));
        assertThat(p).isEqualTo(new VerificationReport.Percentiles(1, 250, 250, 250));
        assertThat(PipelineAudit.delays(Map.of(), List.of())).isEqualTo(new VerificationReport.Percentiles(0, 0, 0, 0));
    }

    @Test
    void delaysAreSortedBeforeThePercentilesAreTaken() {
        Map<UUID, OrderRow> orders = new java.util.HashMap<>();
        List<InvoiceRow> invoices = new java.util.ArrayList<>();
        for (int millis : new int[] {900, 100, 500, 300, 700}) {
            UUID orderId = UUID.randomUUID();
            orders.put(orderId, new OrderRow(orderId, "CREATED", BigDecimal.TEN, "EUR", 1, T0));
            invoices.add(new InvoiceRow(orderId, "ISSUED", BigDecimal.TEN, "EUR", T0.plusMillis(millis)));
        }
        assertThat(PipelineAudit.delays(orders, invoices)).isEqualTo(new VerificationReport.Percentiles(5, 500, 900, 900));
    }

    @Test
    void anInvoiceBeforeItsOrderCountsAsZeroDelay() {
        InvoiceRow early = new InvoiceRow(id, "ISSUED", BigDecimal.TEN, "EUR", T0.minusSeconds(1));
        assertThat(PipelineAudit.delays(Map.of(id, order("CREATED", 1)), List.of(early)).max()).isZero();
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> hundred = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(PipelineAudit.percentile(hundred, 0.50)).isEqualTo(50);
        assertThat(PipelineAudit.percentile(hundred, 0.99)).isEqualTo(99);
        assertThat(PipelineAudit.percentile(hundred, 1.0)).isEqualTo(100);
        assertThat(PipelineAudit.percentile(List.of(7L), 0.50)).isEqualTo(7);
        assertThat(PipelineAudit.percentile(List.of(7L, 9L), 0.0)).isEqualTo(7);
    }

    @Test
    void ordersWaitForBothTheirInvoiceAndTheirLedgerWhileSettling() {
        OrderRow order = order("CANCELLED", 2);
        Map<UUID, OrderRow> orders = Map.of(id, order);
        EffectRow issued = new EffectRow(1, UUID.randomUUID(), id, "ISSUED", BigDecimal.TEN, "EUR", T0);
        EffectRow voided = new EffectRow(2, UUID.randomUUID(), id, "VOIDED", BigDecimal.TEN, "EUR", T0);
        Map<UUID, InvoiceRow> voidedInvoice = Map.of(id, invoice("VOIDED", "10.00", "EUR"));
        assertThat(SystemVerifier.notYetFinal(orders, Map.of(), List.of(issued, voided))).isOne();
        assertThat(SystemVerifier.notYetFinal(orders, voidedInvoice, List.of(issued))).isOne();
        assertThat(SystemVerifier.notYetFinal(orders, voidedInvoice, List.of(issued, voided))).isZero();
    }
}
