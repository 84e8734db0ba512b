package io.outboxcdc.system.verify;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** An invoice in its current state, as the billing database holds it. */
record InvoiceRow(UUID orderId, String status, BigDecimal amount, String currency, Instant issuedAt) {
}
