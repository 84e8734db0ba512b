package io.outboxcdc.billing.invoice;

import io.outboxcdc.billing.event.OrderCancelled;
import io.outboxcdc.billing.event.OrderCreated;
import io.outboxcdc.billing.event.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Issues and voids invoices, set-based, and appends one {@code invoice_effects} row per effect that changed an
 * invoice, in the same statement (so in the same transaction). Both writes are idempotent by themselves as a
 * second line of defence behind the inbox: an order has one invoice ({@code order_id} unique) and only an
 * issued invoice can be voided; a write that changes nothing leaves no ledger row and a warning.
 */
@Repository
public class InvoiceLedger {

    private static final Logger log = LoggerFactory.getLogger(InvoiceLedger.class);

    private final JdbcTemplate jdbc;

    public InvoiceLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Applies the effects, keeping each order's effects in the given order: round {@code r} applies the r-th
     * effect of every order (issues, then voids), so one or two statements per round whatever the batch size.
     *
     * @return the number of effects that changed an invoice
     */
    public int apply(List<OrderEvent> effects, Instant now) {
        Map<UUID, List<OrderEvent>> byOrder = new LinkedHashMap<>();
        effects.forEach(e -> byOrder.computeIfAbsent(e.orderId(), o -> new ArrayList<>()).add(e));
        int changed = 0;
        for (int round = 0; ; round++) {
            List<OrderCreated> issues = new ArrayList<>();
            List<OrderCancelled> voids = new ArrayList<>();
            for (List<OrderEvent> ofOrder : byOrder.values()) {
                if (round < ofOrder.size()) {
                    OrderEvent effect = ofOrder.get(round);
                    if (effect instanceof OrderCreated created) {
                        issues.add(created);
                    } else if (effect instanceof OrderCancelled cancelled) {
                        voids.add(cancelled);
                    }
                }
            }
            if (issues.isEmpty() && voids.isEmpty()) {
                return changed;
            }
            changed += issue(issues, now) + voidInvoices(voids, now);
        }
    }

    private int issue(List<OrderCreated> orders, Instant now) {
        if (orders.isEmpty()) {
            return 0;
        }
        OffsetDateTime at = utc(now);
        List<UUID> issued = jdbc.queryForList("""
                WITH input AS (
                    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                             AS i(invoice_id, event_id, order_id, customer_id, amount, currency, order_created_at)
                ), issued AS (
                    INSERT INTO invoices (id, order_id, customer_id, amount, currency, status, order_created_at,
                                          issued_at, updated_at)
                    SELECT invoice_id::uuid, order_id::uuid, customer_id, amount::numeric, currency, 'ISSUED',
                           order_created_at::timestamptz, ?, ?
                    FROM input
                    ON CONFLICT (order_id) DO NOTHING
                    RETURNING order_id, amount, currency
                )
                INSERT INTO invoice_effects (event_id, order_id, effect, amount, currency, applied_at)
                SELECT i.event_id::uuid, s.order_id, 'ISSUED', s.amount, s.currency, ?
                FROM issued s JOIN input i ON i.order_id::uuid = s.order_id
                RETURNING order_id
                """, UUID.class,
                orders.stream().map(o -> invoiceId(o.orderId()).toString()).toArray(String[]::new),
                orders.stream().map(o -> o.eventId().toString()).toArray(String[]::new),
                orders.stream().map(o -> o.orderId().toString()).toArray(String[]::new),
                orders.stream().map(OrderCreated::customerId).toArray(String[]::new),
                orders.stream().map(o -> o.total().toPlainString()).toArray(String[]::new),
                orders.stream().map(OrderCreated::currency).toArray(String[]::new),
                orders.stream().map(o -> o.occurredAt().toString()).toArray(String[]::new),
                at, at, at);
        Set<UUID> done = new HashSet<>(issued);
        orders.stream().filter(o -> !done.contains(o.orderId())).forEach(o -> log.warn(
                "Order {} already has an invoice; OrderCreated event {} left it unchanged", o.orderId(),
                o.eventId()));
        return done.size();
    }

    private int voidInvoices(List<OrderCancelled> cancellations, Instant now) {
        if (cancellations.isEmpty()) {
            return 0;
        }
        OffsetDateTime at = utc(now);
        List<UUID> voided = jdbc.queryForList("""
                WITH input AS (
                    SELECT * FROM unnest(?::text[], ?::text[]) AS i(event_id, order_id)
                ), voided AS (
                    UPDATE invoices v SET status = 'VOIDED', voided_at = ?, updated_at = ?
                    FROM input i
                    WHERE v.order_id = i.order_id::uuid AND v.status = 'ISSUED'
                    RETURNING v.order_id, v.amount, v.currency, i.event_id
                )
                INSERT INTO invoice_effects (event_id, order_id, effect, amount, currency, applied_at)
                SELECT event_id::uuid, order_id, 'VOIDED', amount, currency, ?
                FROM voided
                RETURNING order_id
                """, UUID.class,
                cancellations.stream().map(c -> c.eventId().toString()).toArray(String[]::new),
                cancellations.stream().map(c -> c.orderId().toString()).toArray(String[]::new),
                at, at, at);
        Set<UUID> done = new HashSet<>(voided);
        cancellations.stream().filter(c -> !done.contains(c.orderId())).forEach(c -> log.warn(
                "Order {} has no issued invoice; OrderCancelled event {} changed nothing", c.orderId(),
                c.eventId()));
        return done.size();
    }

    /** Derived from the order id, so the invoice id is the same however often the order is billed. */
    static UUID invoiceId(UUID orderId) {
        return UUID.nameUUIDFromBytes(("invoice:" + orderId).getBytes(StandardCharsets.UTF_8));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
