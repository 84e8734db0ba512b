package io.outboxcdc.system.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

// Issue 16: every invariant the verifier counts turns into a named failure line.
class VerificationReportTests {

    /** A clean report with one counter (by component index among the invariants) set to 1. */
    private static VerificationReport with(int invariant) {
        long[] v = new long[11];
        if (invariant >= 0) {
            v[invariant] = 1;
        }
        return new VerificationReport(10, 2, 12, 12, 12, 0, v[0], 12, 0L, 0, 0, 8, 2, 12, v[1], v[2], v[3], v[4], v[5],
                v[6], v[7], v[8], v[9], v[10], new VerificationReport.Percentiles(10, 5, 9, 9), 0.1, true,
                List.of(), invariant < 0);
    }

    @Test
    void aCleanReportHasNoFailures() {
        assertThat(with(-1).failures()).isEmpty();
        assertThat(with(-1).toText()).startsWith("Verification PASSED");
    }

    @Test
    void eachInvariantHasItsOwnFailureMessage() {
        List<String> expected = List.of("outbox events never reached the topic",
                "committed orders without the right invoice",
                "committed orders without their final effects in the ledger",
                "double effects (an order issued or voided more than once)",
                "orders with effects out of order",
                "orders with an effect amount that differs from the order total",
                "orders voided but not cancelled",
                "orphan invoices (no committed order)",
                "orphan ledger effects (orders never committed)",
                "orders with a sequence gap",
                "acknowledged orders not committed");
        for (int i = 0; i < expected.size(); i++) {
            VerificationReport report = with(i);
            assertThat(report.failures()).as("invariant %d", i).singleElement().asString()
                    .startsWith("1 ").contains(expected.get(i));
            assertThat(report.toText()).startsWith("Verification FAILED").contains("FAIL: 1 " );
        }
    }

    @Test
    void theTextShowsEveryCountUnderItsLabel() {
        VerificationReport report = new VerificationReport(1001, 202, 1203, 1204, 1305, 106, 7, 1208, 9L, 10, 11, 812,
                213, 1014, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, new VerificationReport.Percentiles(25, 26, 27, 28),
                2.9, false, List.of("order x is broken"), false);
        String text = report.toText();
        assertThat(text.lines()).contains(
                "Verification FAILED",
                "  orders committed               1001 (202 cancelled)",
                "  outbox events                  1203 (expected from orders: 1204)",
                "  records on the topic           1305 (106 duplicates of an event id)",
                "  events lost                    7",
                "  events processed               1208",
                "  duplicates suppressed          9",
                "  parked                         10",
                "  dead-lettered                  11",
                "  invoices                       812 ISSUED, 213 VOIDED",
                "  ledger effects                 1014",
                "  missing invoices               15",
                "  missing ledger effects         16",
                "  double effects                 17",
                "  effects out of order           18",
                "  effect amount mismatches       19",
                "  voided, not cancelled          20",
                "  orphan invoices                21",
                "  orphan ledger effects          22",
                "  per-order sequence gaps        23",
                "  acknowledged, not committed    24",
                "  order commit -> invoice        p50 26 ms, p99 27 ms, max 28 ms (25 invoices)",
                "  settled                        NO (gave up after 2.9 s)",
                "  e.g. order x is broken");
        assertThat(text).contains("  FAIL: 7 outbox events never reached the topic");
    }

    @Test
    void aSettledReportSaysAfterHowLongAndUnknownSuppressionSaysWhy() {
        VerificationReport report = new VerificationReport(1, 0, 1, 1, 1, 0, 0, 1, null, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, new VerificationReport.Percentiles(1, 5, 5, 5), 1.25, true, List.of(), true);
        assertThat(report.toText().lines()).contains("  settled                        after 1.3 s",
                "  duplicates suppressed          n/a (billing metrics not reachable)");
    }
}
