package io.outboxcdc.billing.ordering;

import static io.outboxcdc.billing.ordering.SequenceGate.Decision.APPLY;
import static io.outboxcdc.billing.ordering.SequenceGate.Decision.PARK;
import static io.outboxcdc.billing.ordering.SequenceGate.Decision.STALE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SequenceGateTests {

    @Test
    void appliesOnlyTheNextSequence() {
        assertThat(SequenceGate.decide(0, 1)).isEqualTo(APPLY);
        assertThat(SequenceGate.decide(4, 5)).isEqualTo(APPLY);
    }

    @Test
    void parksWhatArrivesBeforeAPredecessor() {
        assertThat(SequenceGate.decide(0, 2)).isEqualTo(PARK);
        assertThat(SequenceGate.decide(1, 7)).isEqualTo(PARK);
    }

    @Test
    void ignoresWhatWasAppliedAlready() {
        assertThat(SequenceGate.decide(1, 1)).isEqualTo(STALE);
        assertThat(SequenceGate.decide(5, 2)).isEqualTo(STALE);
    }

    @Test
    void drainsParkedSuccessorsInOrderUpToTheFirstGap() {
        Map<Long, String> parked = new HashMap<>(Map.of(2L, "two", 3L, "three", 5L, "five"));

        assertThat(SequenceGate.drain(1, s -> Optional.ofNullable(parked.get(s)))).containsExactly("two", "three");
        assertThat(SequenceGate.drain(4, s -> Optional.ofNullable(parked.get(s)))).containsExactly("five");
        assertThat(SequenceGate.drain(5, s -> Optional.ofNullable(parked.get(s)))).isEmpty();
    }

    /** Every arrival order of one order's events ends with all of them applied, each once, in sequence. */
    @Test
    void anyArrivalOrderAppliesEveryEventOnceInSequence() {
        long[][] arrivals = {{1, 2, 3}, {1, 3, 2}, {2, 1, 3}, {2, 3, 1}, {3, 1, 2}, {3, 2, 1}, {3, 3, 2, 1, 2, 1}};
        for (long[] arrival : arrivals) {
            java.util.List<Long> applied = new java.util.ArrayList<>();
            Map<Long, Long> parked = new HashMap<>();
            long appliedSequence = 0;
            for (long sequence : arrival) {
                switch (SequenceGate.decide(appliedSequence, sequence)) {
                    case APPLY -> {
                        applied.add(sequence);
                        appliedSequence = sequence;
                        for (long next : SequenceGate.drain(appliedSequence, s -> Optional.ofNullable(parked.remove(s)))) {
                            applied.add(next);
                            appliedSequence = next;
                        }
                    }
                    case PARK -> parked.putIfAbsent(sequence, sequence);
                    case STALE -> { }
                }
            }
            assertThat(applied).as("arrival %s", java.util.Arrays.toString(arrival)).containsExactly(1L, 2L, 3L);
            assertThat(parked).isEmpty();
        }
    }
}
