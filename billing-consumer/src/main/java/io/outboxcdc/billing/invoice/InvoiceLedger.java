package io.outboxcdc.billing.invoice;

import io.outboxcdc.billing.event.OrderCancelled;
import io.outboxcdc.billing.event.OrderCreated;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Issues and voids invoices. Both writes are idempotent by themselves as a second line of defence behind the
 * inbox: an order has one invoice ({@code order_id} unique) and only an issued invoice can be voided.
 */
@Repository
public class InvoiceLedger {

    private static final Logger log = LoggerFactory.getLogger(InvoiceLedger.class);

    private final JdbcTemplate jdbc;

    public InvoiceLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean issue(OrderCreated order, Instant now) {
        OffsetDateTime at = utc(now);
        boolean issued = jdbc.update("""
                INSERT INTO invoices (id, order_id, customer_id, amount, currency, status, order_created_at,
                                      issued_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'ISSUED', ?, ?, ?)
                ON CONFLICT (order_id) DO NOTHING
                """, invoiceId(order.orderId()), order.orderId(), order.customerId(), order.total(),
                order.currency(), utc(order.occurredAt()), at, at) == 1;
        if (!issued) {
            log.warn("Order {} already has an invoice; OrderCreated event {} left it unchanged", order.orderId(),
                    order.eventId());
        }
        return issued;
    }

    public boolean voidInvoice(OrderCancelled cancellation, Instant now) {
        OffsetDateTime at = utc(now);
        boolean voided = jdbc.update("""
                UPDATE invoices SET status = 'VOIDED', voided_at = ?, updated_at = ?
                WHERE order_id = ? AND status = 'ISSUED'
                """, at, at, cancellation.orderId()) == 1;
        if (!voided) {
            log.warn("Order {} has no issued invoice; OrderCancelled event {} changed nothing",
                    cancellation.orderId(), cancellation.eventId());
        }
        return voided;
    }

    /** Derived from the order id, so the invoice id is the same however often the order is billed. */
    static UUID invoiceId(UUID orderId) {
        return UUID.nameUUIDFromBytes(("invoice:" + orderId).getBytes(StandardCharsets.UTF_8));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
