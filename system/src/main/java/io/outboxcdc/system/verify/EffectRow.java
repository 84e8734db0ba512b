package io.outboxcdc.system.verify;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of billing's append-only {@code invoice_effects} ledger. {@code id} is the ledger's own sequence: it
 * gives the order in which effects were appended for one order.
 */
record EffectRow(long id, UUID eventId, UUID orderId, String effect, BigDecimal amount, String currency,
        Instant appliedAt) {

    static final String ISSUED = "ISSUED";
    static final String VOIDED = "VOIDED";

    boolean issued() {
        return ISSUED.equals(effect);
    }

    boolean voided() {
        return VOIDED.equals(effect);
    }
}
