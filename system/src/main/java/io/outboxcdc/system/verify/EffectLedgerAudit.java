package io.outboxcdc.system.verify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Counts, per order, what billing's append-only effect ledger says it did: exactly one ISSUED effect, at most
 * one VOIDED (one exactly when the order is cancelled, none otherwise), the void after the issue, and every
 * amount equal to the order's total. The ledger has no unique constraint on purpose: a consumer that applies
 * an effect twice leaves two rows, and this audit finds them. Pure: it sees rows, not databases.
 */
final class EffectLedgerAudit {

    /** Each count is a number of orders (of distinct order ids for orphans), not of ledger rows. */
    record Findings(long effects, long missing, long doubled, long outOfOrder, long wrongAmounts, long unexpectedVoids,
            long orphans) {
    }

    private EffectLedgerAudit() {
    }

    static Map<UUID, List<EffectRow>> byOrder(Collection<EffectRow> effects) {
        Map<UUID, List<EffectRow>> byOrder = new HashMap<>();
        for (EffectRow effect : effects) {
            byOrder.computeIfAbsent(effect.orderId(), id -> new ArrayList<>()).add(effect);
        }
        byOrder.values().forEach(list -> list.sort(Comparator.comparingLong(EffectRow::id)));
        return byOrder;
    }

    /** Whether the ledger already holds the final effects of this order (used while the pipeline settles). */
    static boolean complete(OrderRow order, List<EffectRow> effects) {
        long issues = effects.stream().filter(EffectRow::issued).count();
        long voids = effects.stream().filter(EffectRow::voided).count();
        return issues > 0 && (voids > 0 || !order.cancelled());
    }

    static Findings audit(Map<UUID, OrderRow> orders, Collection<EffectRow> effects, Examples examples) {
        Map<UUID, List<EffectRow>> byOrder = byOrder(effects);
        long missing = 0;
        long doubled = 0;
        long outOfOrder = 0;
        long wrongAmounts = 0;
        long unexpectedVoids = 0;
        for (OrderRow order : orders.values()) {
            List<EffectRow> ledger = byOrder.getOrDefault(order.id(), List.of());
            long issues = ledger.stream().filter(EffectRow::issued).count();
            long voids = ledger.stream().filter(EffectRow::voided).count();
            if (issues == 0) {
                missing++;
                examples.add("order " + order.id() + " has no ISSUED effect in the ledger");
            } else if (order.cancelled() && voids == 0) {
                missing++;
                examples.add("order " + order.id() + " is CANCELLED but has no VOIDED effect in the ledger");
            }
            if (issues > 1 || voids > 1) {
                doubled++;
                examples.add("order " + order.id() + " has " + issues + " ISSUED and " + voids
                        + " VOIDED effects in the ledger: " + describe(ledger));
            }
            if (!inOrder(ledger)) {
                outOfOrder++;
                examples.add("order " + order.id() + " has effects out of order (a void must follow its one issue): "
                        + describe(ledger));
            }
            if (voids > 0 && !order.cancelled()) {
                unexpectedVoids++;
                examples.add("order " + order.id() + " is " + order.status() + " but has a VOIDED effect");
            }
            for (EffectRow effect : ledger) {
                if (effect.amount().compareTo(order.total()) != 0 || !effect.currency().equals(order.currency())) {
                    wrongAmounts++;
                    examples.add("order " + order.id() + " totals " + order.total() + " " + order.currency() + " but its "
                            + effect.effect() + " effect (event " + effect.eventId() + ") is " + effect.amount() + " "
                            + effect.currency());
                    break;
                }
            }
        }
        long orphans = 0;
        for (Map.Entry<UUID, List<EffectRow>> entry : byOrder.entrySet()) {
            if (!orders.containsKey(entry.getKey())) {
                orphans++;
                examples.add("ledger effects " + describe(entry.getValue()) + " for order " + entry.getKey()
                        + ", which is not a committed order");
            }
        }
        return new Findings(effects.size(), missing, doubled, outOfOrder, wrongAmounts, unexpectedVoids, orphans);
    }

    /**
     * In order: nothing is voided before it was issued, nothing is issued again after a void, and no void was
     * applied at an earlier time than the issue it follows.
     */
    static boolean inOrder(List<EffectRow> ledger) {
        EffectRow firstIssue = null;
        boolean voided = false;
        for (EffectRow effect : ledger) {
            if (effect.issued()) {
                if (voided) {
                    return false;
                }
                if (firstIssue == null) {
                    firstIssue = effect;
                }
            } else if (effect.voided()) {
                if (firstIssue == null || effect.appliedAt().isBefore(firstIssue.appliedAt())) {
                    return false;
                }
                voided = true;
            }
        }
        return true;
    }

    private static String describe(List<EffectRow> ledger) {
        StringBuilder text = new StringBuilder("[");
        for (EffectRow effect : ledger) {
            text.append(text.length() > 1 ? ", " : "").append(effect.effect()).append(" #").append(effect.id())
                    .append(" (event ").append(effect.eventId()).append(')');
        }
        return text.append(']').toString();
    }
}
