package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.event.SequencedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ordering rule applied to a whole batch at once, free of storage: given each order's applied sequence and
 * parked events (as locked in the batch's transaction), and the batch's new events in arrival order, decide
 * what to apply, park, release and ignore. Equivalent to running {@link SequenceGate} record by record.
 */
public final class BatchPlanner {

    private final Map<UUID, Long> applied;
    private final Map<UUID, Long> appliedAtStart;
    private final Map<UUID, Map<Long, Waiting>> waiting = new HashMap<>();
    private final List<OrderEvent> effects = new ArrayList<>();
    private final List<UUID> released = new ArrayList<>();
    private final List<SequencedEvent> stale = new ArrayList<>();
    private int parkedArrivals;

    private BatchPlanner(Map<UUID, Long> applied, Map<UUID, List<ParkedEvent>> parked) {
        this.applied = new HashMap<>(applied);
        this.appliedAtStart = Map.copyOf(applied);
        parked.forEach((order, events) -> events.forEach(p -> waitingFor(order)
                .put(p.aggregateSequence(), new Waiting(p.event(), null))));
    }

    /**
     * @param arrivals the batch's new events (duplicates removed), in arrival order
     * @param applied per order of the batch, the sequence applied so far (0 for a new order)
     * @param parked per order, the events parked before this batch
     */
    public static BatchPlan plan(List<SequencedEvent> arrivals, Map<UUID, Long> applied,
            Map<UUID, List<ParkedEvent>> parked) {
        BatchPlanner planner = new BatchPlanner(applied, parked);
        arrivals.forEach(planner::arrive);
        return planner.result();
    }

    /**
     * An operator's decision that a parked event's predecessors will never come: apply it now as if they had
     * been applied, then its parked successors up to the next gap.
     */
    public static BatchPlan release(ParkedEvent chosen, long appliedSequence, List<ParkedEvent> parkedOfOrder) {
        UUID order = chosen.event().orderId();
        BatchPlanner planner = new BatchPlanner(Map.of(order, appliedSequence), Map.of(order, parkedOfOrder));
        planner.waitingFor(order).remove(chosen.aggregateSequence());
        planner.released.add(chosen.event().eventId());
        planner.applyAndDrain(order, chosen.event(), chosen.aggregateSequence());
        return planner.result();
    }

    private void arrive(SequencedEvent event) {
        UUID order = event.orderId();
        long current = applied.getOrDefault(order, 0L);
        switch (SequenceGate.decide(current, event.aggregateSequence())) {
            case APPLY -> applyAndDrain(order, event.event(), event.aggregateSequence());
            case PARK -> {
                if (waitingFor(order).putIfAbsent(event.aggregateSequence(), new Waiting(event.event(), event))
                        != null) {
                    stale.add(event);
                } else {
                    parkedArrivals++;
                }
            }
            case STALE -> stale.add(event);
        }
    }

    private void applyAndDrain(UUID order, OrderEvent event, long sequence) {
        effects.add(event);
        long last = sequence;
        Map<Long, Waiting> queue = waitingFor(order);
        for (Waiting next = queue.remove(last + 1); next != null; next = queue.remove(last + 1)) {
            effects.add(next.event());
            if (next.arrival() == null) {
                released.add(next.event().eventId());
            }
            last++;
        }
        applied.put(order, last);
    }

    private Map<Long, Waiting> waitingFor(UUID order) {
        return waiting.computeIfAbsent(order, o -> new LinkedHashMap<>());
    }

    private BatchPlan result() {
        List<SequencedEvent> toPark = new ArrayList<>();
        waiting.values().forEach(queue -> queue.values().stream()
                .filter(w -> w.arrival() != null)
                .forEach(w -> toPark.add(w.arrival())));
        Map<UUID, Long> advancedTo = new HashMap<>();
        applied.forEach((order, sequence) -> {
            if (!sequence.equals(appliedAtStart.getOrDefault(order, 0L))) {
                advancedTo.put(order, sequence);
            }
        });
        return new BatchPlan(effects, toPark, released, advancedTo, parkedArrivals, stale);
    }

    /** An event waiting for its predecessor: parked before this batch ({@code arrival == null}) or in it. */
    private record Waiting(OrderEvent event, SequencedEvent arrival) {
    }
}
