package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.EventParser;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.event.SequencedEvent;
import io.outboxcdc.billing.faultinjection.CrashPoint;
import io.outboxcdc.billing.inbox.ProcessedEvents;
import io.outboxcdc.billing.inbox.ProcessedEvents.InboxEntry;
import io.outboxcdc.billing.invoice.InvoiceLedger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One batch, one transaction, a handful of multi-row statements whatever the batch size: inbox, order
 * progress (locked), parked events, invoices and the effect ledger commit together or not at all. If the
 * transaction fails nothing of it exists and the records are delivered again; once it commits, a redelivery
 * finds every event id in the inbox and changes nothing.
 */
@Service
public class BatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

    private final ProcessedEvents inbox;
    private final OrderProgress progress;
    private final ParkedEvents parked;
    private final InvoiceLedger invoices;
    private final CrashPoint crashPoint;
    private final Clock clock;
    private final EventParser parser;

    public BatchProcessor(ProcessedEvents inbox, OrderProgress progress, ParkedEvents parked, InvoiceLedger invoices,
            CrashPoint crashPoint, Clock clock, EventParser parser) {
        this.parser = parser;
        this.inbox = inbox;
        this.progress = progress;
        this.parked = parked;
        this.invoices = invoices;
        this.crashPoint = crashPoint;
        this.clock = clock;
    }

    @Transactional
    public BatchResult process(List<Arrival> arrivals, String consumerGroup) {
        Instant now = clock.instant();
        // The first copy of an event id in the batch counts; later copies are duplicates like redeliveries.
        Map<UUID, Arrival> unique = new LinkedHashMap<>();
        arrivals.forEach(a -> unique.putIfAbsent(a.event().eventId(), a));
        Set<UUID> fresh = inbox.takeIn(unique.values().stream().map(a -> new InboxEntry(a.event().eventId(),
                a.event().type().headerValue(), a.event().orderId(), a.event().aggregateSequence(), a.position()))
                .toList(), consumerGroup, now);
        int duplicates = arrivals.size() - fresh.size();
        if (fresh.isEmpty()) {
            return new BatchResult(arrivals.size(), duplicates, List.of(), 0, 0, 0);
        }
        List<SequencedEvent> newEvents = unique.values().stream().map(Arrival::event)
                .filter(e -> fresh.contains(e.eventId())).toList();
        Set<UUID> orders = new HashSet<>();
        newEvents.forEach(e -> orders.add(e.orderId()));
        Map<UUID, Long> applied = progress.lockAppliedSequences(orders);
        BatchPlan plan = BatchPlanner.plan(newEvents, applied, parked.parkedFor(orders));
        int changed = write(plan, now);
        plan.stale().forEach(e -> log.warn("Event {} of order {} has sequence {}, which is applied or held by"
                + " another parked event already: ignored", e.eventId(), e.orderId(), e.aggregateSequence()));
        crashPoint.beforeDbCommit();
        return new BatchResult(arrivals.size(), duplicates, plan.effects(), plan.parkedArrivals(),
                plan.stale().size(), changed);
    }

    /**
     * The operator's way out for an event whose predecessor will never come: applies it as the next event of its
     * order, then its parked successors up to the next gap.
     *
     * @return the events applied, empty if the event is not parked (any more)
     */
    @Transactional
    public List<OrderEvent> release(UUID eventId) {
        var row = parked.lock(eventId);
        if (row.isEmpty()) {
            return List.of();
        }
        UUID order = row.get().orderId();
        long appliedSequence = progress.lockAppliedSequences(Set.of(order)).getOrDefault(order, 0L);
        List<ParkedEvent> ofOrder = new ArrayList<>(parked.parkedFor(Set.of(order)).getOrDefault(order, List.of()));
        ParkedEvent chosen = row.get().parsed(parser);
        ofOrder.removeIf(p -> p.event().eventId().equals(eventId));
        if (chosen.aggregateSequence() <= appliedSequence) {
            // Applying it would repeat history: the sequence was applied by another event id meanwhile.
            parked.remove(List.of(eventId));
            log.warn("Operator released parked event {} of order {}, but sequence {} is applied already: removed",
                    eventId, order, chosen.aggregateSequence());
            return List.of();
        }
        BatchPlan plan = BatchPlanner.release(chosen, appliedSequence, ofOrder);
        write(plan, clock.instant());
        log.warn("Operator released parked event {} (sequence {}) of order {}, applied so far {}: applied {}",
                eventId, chosen.aggregateSequence(), order, appliedSequence, plan.effects().size());
        return plan.effects();
    }

    private int write(BatchPlan plan, Instant now) {
        parked.remove(plan.released());
        parked.park(plan.toPark(), now);
        progress.advance(plan.advancedTo());
        return invoices.apply(plan.effects(), now);
    }
}
