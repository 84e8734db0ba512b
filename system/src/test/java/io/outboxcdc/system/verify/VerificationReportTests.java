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
}
