package io.outboxcdc.system.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The checks on what the pipeline delivered, from rows already read: invoices in their final state, invoices
 * without an order, outbox events missing from the topic, per-order sequence gaps, acknowledged orders that
 * were never committed. Pure, so that a mutation test can prove each check fails when it should.
 */
final class PipelineAudit {

    private PipelineAudit() {
    }

    /** Committed orders without their right invoice (none, wrong status, amount or currency). */
    static long wrongInvoices(Map<UUID, OrderRow> orders, Map<UUID, InvoiceRow> invoices, Examples examples) {
        long count = 0;
        for (OrderRow order : orders.values()) {
            InvoiceRow invoice = invoices.get(order.id());
            if (!rightInvoice(order, invoice)) {
                count++;
                examples.add("order " + order.id() + " (" + order.status() + ", " + order.total() + " "
                        + order.currency() + ") has invoice " + invoice);
            }
        }
        return count;
    }

    static boolean rightInvoice(OrderRow order, InvoiceRow invoice) {
        return invoice != null && invoice.status().equals(order.expectedInvoiceStatus())
                && invoice.amount().compareTo(order.total()) == 0 && invoice.currency().equals(order.currency());
    }

    static long orphanInvoices(Map<UUID, OrderRow> orders, Collection<InvoiceRow> invoices, Examples examples) {
        long count = 0;
        for (InvoiceRow invoice : invoices) {
            if (!orders.containsKey(invoice.orderId())) {
                count++;
                examples.add("orphan invoice for order " + invoice.orderId() + ", which is not a committed order");
            }
        }
        return count;
    }

    static long lostEvents(Set<UUID> outboxIds, Set<UUID> topicIds, String topic, Examples examples) {
        long count = 0;
        for (UUID id : outboxIds) {
            if (!topicIds.contains(id)) {
                count++;
                examples.add("outbox event " + id + " is not on topic " + topic);
            }
        }
        return count;
    }

    /** Orders for which some sequence 1..event_sequence has no record on the topic (counted once per order). */
    static long sequenceGaps(Map<UUID, OrderRow> orders, Map<String, Set<Long>> sequencesByKey, Examples examples) {
        long count = 0;
        for (OrderRow order : orders.values()) {
            Set<Long> seen = sequencesByKey.getOrDefault(order.id().toString(), Set.of());
            for (long seq = 1; seq <= order.eventSequence(); seq++) {
                if (!seen.contains(seq)) {
                    count++;
                    examples.add("order " + order.id() + " has no event with sequence " + seq + " on the topic");
                    break;
                }
            }
        }
        return count;
    }

    static long acknowledgedNotCommitted(Set<UUID> acknowledged, Map<UUID, OrderRow> orders, Examples examples) {
        long count = 0;
        for (UUID id : acknowledged) {
            if (!orders.containsKey(id)) {
                count++;
                examples.add("order " + id + " was acknowledged to the client but is not committed");
            }
        }
        return count;
    }

    /** Order commit to invoice issue, over the invoices whose order is committed. */
    static VerificationReport.Percentiles delays(Map<UUID, OrderRow> orders, Collection<InvoiceRow> invoices) {
        List<Long> delays = new ArrayList<>();
        for (InvoiceRow invoice : invoices) {
            OrderRow order = orders.get(invoice.orderId());
            if (order != null) {
                delays.add(Math.max(0, Duration.between(order.createdAt(), invoice.issuedAt()).toMillis()));
            }
        }
        if (delays.isEmpty()) {
            return new VerificationReport.Percentiles(0, 0, 0, 0);
        }
        delays.sort(null);
        return new VerificationReport.Percentiles(delays.size(), percentile(delays, 0.50), percentile(delays, 0.99),
                delays.get(delays.size() - 1));
    }

    /** Nearest-rank percentile of a sorted, non-empty list, for 0 <= p <= 1. */
    static long percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
