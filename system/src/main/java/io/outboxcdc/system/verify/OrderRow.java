package io.outboxcdc.system.verify;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A committed order as the verifier reads it from the orders database. */
record OrderRow(UUID id, String status, BigDecimal total, String currency, long eventSequence, Instant createdAt) {

    boolean cancelled() {
        return "CANCELLED".equals(status);
    }

    String expectedInvoiceStatus() {
        return cancelled() ? "VOIDED" : "ISSUED";
    }
}
