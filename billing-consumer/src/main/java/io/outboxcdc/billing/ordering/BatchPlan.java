package io.outboxcdc.billing.ordering;

import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.event.SequencedEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one batch does, decided in memory before any write.
 *
 * @param effects the events to apply, in sequence within each order (orders interleave freely)
 * @param toPark events that arrived before a predecessor and are still waiting at the end of the batch
 * @param released ids of events parked earlier that this batch applies (their rows are deleted)
 * @param advancedTo per order whose applied sequence moves, the new value
 * @param parkedArrivals events that arrived before a predecessor (parked, or applied later in the same batch)
 * @param stale new event ids for a sequence already applied or already held by another parked event: ignored
 */
public record BatchPlan(List<OrderEvent> effects, List<SequencedEvent> toPark, List<UUID> released,
        Map<UUID, Long> advancedTo, int parkedArrivals, List<SequencedEvent> stale) {

    public BatchPlan {
        effects = List.copyOf(effects);
        toPark = List.copyOf(toPark);
        released = List.copyOf(released);
        advancedTo = Map.copyOf(advancedTo);
        stale = List.copyOf(stale);
    }
}
