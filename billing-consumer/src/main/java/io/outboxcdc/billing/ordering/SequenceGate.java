package io.outboxcdc.billing.ordering;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/** The ordering rule, free of any storage: what to do with an event given what was applied so far. */
public final class SequenceGate {

    private SequenceGate() {
    }

    public enum Decision {
        /** The next event of the order: apply it now. */
        APPLY,
        /** A predecessor is missing: keep it until the predecessor is applied. */
        PARK,
        /** Its sequence was applied already (by another event id): applying it again would repeat history. */
        STALE
    }

    public static Decision decide(long appliedSequence, long incomingSequence) {
        if (incomingSequence <= appliedSequence) {
            return Decision.STALE;
        }
        return incomingSequence == appliedSequence + 1 ? Decision.APPLY : Decision.PARK;
    }

    /**
     * The parked successors that become applicable once {@code appliedSequence} is applied, in order; stops at
     * the first gap. {@code parkedAt} is asked for sequence {@code appliedSequence + 1}, then the next, and so on.
     */
    public static <T> List<T> drain(long appliedSequence, LongFunction<Optional<T>> parkedAt) {
        List<T> ready = new ArrayList<>();
        long next = appliedSequence + 1;
        for (Optional<T> parked = parkedAt.apply(next); parked.isPresent(); parked = parkedAt.apply(++next)) {
            ready.add(parked.get());
        }
        return ready;
    }
}
