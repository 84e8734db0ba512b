package io.outboxcdc.system.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

// Issue 16: the ledger audit counts per order and finds every kind of wrong effect; none of it relies on a
// unique constraint.
class EffectLedgerAuditTests {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final UUID orderId = UUID.randomUUID();
    private final List<EffectRow> ledger = new ArrayList<>();
    private long nextId = 1;

    private OrderRow order(String status) {
        return new OrderRow(orderId, status, new BigDecimal("49.98"), "EUR", "CANCELLED".equals(status) ? 2 : 1, T0);
    }

    private void effect(String kind, String amount, String currency, int secondsAfterT0) {
        ledger.add(new EffectRow(nextId++, UUID.randomUUID(), orderId, kind, new BigDecimal(amount), currency,
                T0.plusSeconds(secondsAfterT0)));
    }

    private void issue() {
        effect("ISSUED", "49.98", "EUR", (int) nextId);
    }

    private void voidIt() {
        effect("VOIDED", "49.98", "EUR", (int) nextId);
    }

    private EffectLedgerAudit.Findings audit(OrderRow order, Examples examples) {
        return EffectLedgerAudit.audit(Map.of(order.id(), order), ledger, examples);
    }

    private EffectLedgerAudit.Findings audit(OrderRow order) {
        return audit(order, new Examples());
    }

    @Test
    void oneIssueForACreatedOrderIsClean() {
        issue();
        assertThat(audit(order("CREATED"))).isEqualTo(new EffectLedgerAudit.Findings(1, 0, 0, 0, 0, 0, 0));
        assertThat(EffectLedgerAudit.complete(order("CREATED"), ledger)).isTrue();
    }

    @Test
    void issueThenVoidForACancelledOrderIsClean() {
        issue();
        voidIt();
        assertThat(audit(order("CANCELLED"))).isEqualTo(new EffectLedgerAudit.Findings(2, 0, 0, 0, 0, 0, 0));
        assertThat(EffectLedgerAudit.complete(order("CANCELLED"), ledger)).isTrue();
    }

    @Test
    void anOrderWithoutAnyEffectIsMissing() {
        Examples examples = new Examples();
        assertThat(audit(order("CREATED"), examples).missing()).isOne();
        assertThat(examples.list()).containsExactly("order " + orderId + " has no ISSUED effect in the ledger");
        assertThat(EffectLedgerAudit.complete(order("CREATED"), ledger)).isFalse();
    }

    @Test
    void aCancelledOrderWithoutItsVoidIsMissing() {
        issue();
        Examples examples = new Examples();
        assertThat(audit(order("CANCELLED"), examples).missing()).isOne();
        assertThat(examples.list()).singleElement().asString().contains("is CANCELLED but has no VOIDED effect");
        assertThat(EffectLedgerAudit.complete(order("CANCELLED"), ledger)).isFalse();
    }

    @Test
    void issuedTwiceIsADoubleEffect() {
        issue();
        issue();
        Examples examples = new Examples();
        EffectLedgerAudit.Findings findings = audit(order("CREATED"), examples);
        assertThat(findings.doubled()).isOne();
        assertThat(findings.outOfOrder()).isZero();
        assertThat(findings.missing()).isZero();
        assertThat(examples.list()).containsExactly("order " + orderId + " has 2 ISSUED and 0 VOIDED effects in the "
                + "ledger: [ISSUED #1 (event " + ledger.get(0).eventId() + "), ISSUED #2 (event " + ledger.get(1).eventId()
                + ")]");
    }

    @Test
    void voidedTwiceIsADoubleEffect() {
        issue();
        voidIt();
        voidIt();
        EffectLedgerAudit.Findings findings = audit(order("CANCELLED"));
        assertThat(findings.doubled()).isOne();
        assertThat(findings.outOfOrder()).isZero();
    }

    @Test
    void issueVoidReissueIsBothDoubleAndOutOfOrder() {
        issue();
        voidIt();
        issue();
        Examples examples = new Examples();
        EffectLedgerAudit.Findings findings = audit(order("CANCELLED"), examples);
        assertThat(findings.doubled()).isOne();
        assertThat(findings.outOfOrder()).isOne();
        assertThat(examples.list()).anySatisfy(e -> assertThat(e).contains("effects out of order"));
    }

    @Test
    void aVoidBeforeTheIssueIsOutOfOrder() {
        voidIt();
        issue();
        assertThat(audit(order("CANCELLED")).outOfOrder()).isOne();
        assertThat(audit(order("CANCELLED")).doubled()).isZero();
    }

    @Test
    void aVoidAppliedEarlierThanItsIssueIsOutOfOrder() {
        effect("ISSUED", "49.98", "EUR", 10);
        effect("VOIDED", "49.98", "EUR", 9);
        assertThat(audit(order("CANCELLED")).outOfOrder()).isOne();
    }

    @Test
    void aVoidAppliedAtTheSameInstantAsTheIssueIsInOrder() {
        effect("ISSUED", "49.98", "EUR", 10);
        effect("VOIDED", "49.98", "EUR", 10);
        assertThat(audit(order("CANCELLED")).outOfOrder()).isZero();
    }

    @Test
    void aVoidWithoutAnyIssueIsOutOfOrderAndMissing() {
        voidIt();
        EffectLedgerAudit.Findings findings = audit(order("CANCELLED"));
        assertThat(findings.outOfOrder()).isOne();
        assertThat(findings.missing()).isOne();
    }

    @Test
    void aVoidOfAnOrderThatWasNotCancelledIsUnexpected() {
        issue();
        voidIt();
        Examples examples = new Examples();
        assertThat(audit(order("CREATED"), examples).unexpectedVoids()).isOne();
        assertThat(examples.list()).singleElement().asString().contains("is CREATED but has a VOIDED effect");
    }

    @Test
    void anAmountDifferentFromTheOrderTotalIsCountedOncePerOrder() {
        effect("ISSUED", "49.97", "EUR", 1);
        effect("VOIDED", "49.97", "EUR", 2);
        Examples examples = new Examples();
        assertThat(audit(order("CANCELLED"), examples).wrongAmounts()).isOne();
        assertThat(examples.list()).singleElement().asString().contains("totals 49.98 EUR but its ISSUED effect");
    }

    @Test
    void aDifferentCurrencyIsAWrongAmount() {
        effect("ISSUED", "49.98", "USD", 1);
        assertThat(audit(order("CREATED")).wrongAmounts()).isOne();
    }

    @Test
    void anEqualAmountWithAnotherScaleIsRight() {
        effect("ISSUED", "49.980", "EUR", 1);
        assertThat(audit(order("CREATED")).wrongAmounts()).isZero();
    }

    @Test
    void aWrongVoidAmountAfterARightIssueIsFound() {
        issue();
        effect("VOIDED", "1.00", "EUR", 100);
        assertThat(audit(order("CANCELLED")).wrongAmounts()).isOne();
    }

    @Test
    void effectsOfAnOrderThatWasNeverCommittedAreOrphansCountedPerOrder() {
        issue();
        voidIt();
        Examples examples = new Examples();
        EffectLedgerAudit.Findings findings = EffectLedgerAudit.audit(Map.of(), ledger, examples);
        assertThat(findings.orphans()).isOne();
        assertThat(findings.effects()).isEqualTo(2);
        assertThat(examples.list()).singleElement().asString().contains("which is not a committed order");
    }

    @Test
    void ledgerRowsAreReadInTheirAppendOrderNotInTheOrderGiven() {
        issue();
        voidIt();
        List<EffectRow> reversed = new ArrayList<>(ledger);
        java.util.Collections.reverse(reversed);
        OrderRow order = order("CANCELLED");
        assertThat(EffectLedgerAudit.audit(Map.of(order.id(), order), reversed, new Examples()).outOfOrder()).isZero();
    }

    @Test
    void examplesStopAtTheLimit() {
        Examples examples = new Examples();
        for (int i = 0; i < Examples.LIMIT + 5; i++) {
            examples.add("e" + i);
        }
        assertThat(examples.list()).hasSize(Examples.LIMIT).startsWith("e0").endsWith("e" + (Examples.LIMIT - 1));
    }
}
