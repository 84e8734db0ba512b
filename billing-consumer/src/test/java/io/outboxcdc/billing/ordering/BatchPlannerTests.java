package io.outboxcdc.billing.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.billing.event.OrderCancelled;
import io.outboxcdc.billing.event.OrderCreated;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.event.SequencedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchPlannerTests {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    private final UUID order = UUID.randomUUID();
    private final SequencedEvent created = created(order, 1);
    private final SequencedEvent cancelled = cancelled(order, 2);

    @Test
    void appliesCreateThenCancelOfOneOrderInOneBatch() {
        BatchPlan plan = BatchPlanner.plan(List.of(created, cancelled), Map.of(order, 0L), Map.of());

        assertThat(plan.effects()).containsExactly(created.event(), cancelled.event());
        assertThat(plan.advancedTo()).containsExactly(Map.entry(order, 2L));
        assertThat(plan.toPark()).isEmpty();
        assertThat(plan.parkedArrivals()).isZero();
    }

    @Test
    void aCancelBeforeItsCreateInTheSameBatchIsAppliedAfterItAndNeverParked() {
        BatchPlan plan = BatchPlanner.plan(List.of(cancelled, created), Map.of(order, 0L), Map.of());

        assertThat(plan.effects()).containsExactly(created.event(), cancelled.event());
        assertThat(plan.toPark()).isEmpty();
        assertThat(plan.parkedArrivals()).isEqualTo(1);
        assertThat(plan.advancedTo()).containsEntry(order, 2L);
    }

    @Test
    void parksWhatStillWaitsAtTheEndOfTheBatch() {
        BatchPlan plan = BatchPlanner.plan(List.of(cancelled), Map.of(order, 0L), Map.of());

        assertThat(plan.effects()).isEmpty();
        assertThat(plan.toPark()).containsExactly(cancelled);
        assertThat(plan.advancedTo()).isEmpty();
    }

    @Test
    void releasesEventsParkedBeforeTheBatchWhenTheGapCloses() {
        ParkedEvent parked = new ParkedEvent(cancelled.event(), 2, AT);

        BatchPlan plan = BatchPlanner.plan(List.of(created), Map.of(order, 0L), Map.of(order, List.of(parked)));

        assertThat(plan.effects()).containsExactly(created.event(), cancelled.event());
        assertThat(plan.released()).containsExactly(cancelled.eventId());
        assertThat(plan.toPark()).isEmpty();
    }

    @Test
    void ignoresAppliedSequencesAndSecondClaimsOnAParkedSequence() {
        SequencedEvent again = created(order, 1);
        SequencedEvent rivalCancel = cancelled(order, 3);
        SequencedEvent secondClaim = cancelled(order, 3);

        BatchPlan plan = BatchPlanner.plan(List.of(again, rivalCancel, secondClaim), Map.of(order, 1L), Map.of());

        assertThat(plan.stale()).containsExactly(again, secondClaim);
        assertThat(plan.toPark()).containsExactly(rivalCancel);
        assertThat(plan.effects()).isEmpty();
    }

    @Test
    void keepsOrdersApart() {
        UUID other = UUID.randomUUID();
        SequencedEvent otherCreated = created(other, 1);

        BatchPlan plan = BatchPlanner.plan(List.of(cancelled, otherCreated), Map.of(order, 0L, other, 0L), Map.of());

        assertThat(plan.effects()).containsExactly(otherCreated.event());
        assertThat(plan.toPark()).containsExactly(cancelled);
        assertThat(plan.advancedTo()).containsExactly(Map.entry(other, 1L));
    }

    @Test
    void anOperatorReleaseAppliesTheEventAndItsParkedSuccessors() {
        ParkedEvent second = new ParkedEvent(created(order, 2).event(), 2, AT);
        ParkedEvent third = new ParkedEvent(cancelled(order, 3).event(), 3, AT);
        ParkedEvent fifth = new ParkedEvent(cancelled(order, 5).event(), 5, AT);

        BatchPlan plan = BatchPlanner.release(second, 0, List.of(third, fifth));

        assertThat(plan.effects()).containsExactly(second.event(), third.event());
        assertThat(plan.released()).containsExactly(second.event().eventId(), third.event().eventId());
        assertThat(plan.advancedTo()).containsExactly(Map.entry(order, 3L));
    }

    /** Any arrival order of an order's events, split into batches anywhere, applies each once in sequence. */
    @Test
    void everyArrivalOrderAndBatchSplitAppliesEachEventOnceInSequence() {
        long[][] arrivals = {{1, 2, 3}, {1, 3, 2}, {2, 1, 3}, {2, 3, 1}, {3, 1, 2}, {3, 2, 1}};
        for (long[] arrival : arrivals) {
            for (int split = 0; split <= arrival.length; split++) {
                List<SequencedEvent> events = java.util.Arrays.stream(arrival)
                        .mapToObj(s -> s == 1 ? created(order, 1) : cancelled(order, s)).toList();
                long applied = 0;
                java.util.List<ParkedEvent> parked = new java.util.ArrayList<>();
                java.util.List<Long> effects = new java.util.ArrayList<>();
                for (List<SequencedEvent> batch : List.of(events.subList(0, split), events.subList(split,
                        events.size()))) {
                    BatchPlan plan = BatchPlanner.plan(batch, Map.of(order, applied), Map.of(order, List.copyOf(parked)));
                    plan.effects().forEach(e -> effects.add(sequenceOf(e, events)));
                    parked.removeIf(p -> plan.released().contains(p.event().eventId()));
                    plan.toPark().forEach(p -> parked.add(new ParkedEvent(p.event(), p.aggregateSequence(), AT)));
                    applied = plan.advancedTo().getOrDefault(order, applied);
                }
                assertThat(effects).as("arrival %s split %d", java.util.Arrays.toString(arrival), split)
                        .containsExactly(1L, 2L, 3L);
                assertThat(parked).isEmpty();
            }
        }
    }

    private static long sequenceOf(OrderEvent event, List<SequencedEvent> events) {
        return events.stream().filter(e -> e.event().equals(event)).findFirst().orElseThrow().aggregateSequence();
    }

    private static SequencedEvent created(UUID order, long sequence) {
        return new SequencedEvent(new OrderCreated(UUID.randomUUID(), order, "c-1", "EUR", new BigDecimal("1.00"),
                List.of(new OrderCreated.Item("SKU", 1, new BigDecimal("1.00"))), AT), sequence, "{}");
    }

    private static SequencedEvent cancelled(UUID order, long sequence) {
        return new SequencedEvent(new OrderCancelled(UUID.randomUUID(), order, AT), sequence, "{}");
    }
}
