package io.outboxcdc.system.load;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the client saw. {@code acknowledgedOrders} are the ids of orders answered 2xx; {@code cancelled} the
 * ids whose cancel was answered 200; {@code unacknowledged} counts orders that never got an answer.
 */
public record LoadResult(int planned, Set<UUID> acknowledgedOrders, Set<UUID> cancelled, int idempotentRetries,
        int idempotencyViolations, int unacknowledged, int clientRetries, Map<Integer, Integer> statusCounts,
        Duration elapsed) {

    public double ordersPerSecond() {
        return elapsed.isZero() ? 0 : acknowledgedOrders.size() / (elapsed.toNanos() / 1e9);
    }

    public String summary() {
        return String.format("load: %d planned, %d acknowledged, %d cancelled, %d idempotent retries "
                + "(%d returned another id), %d never acknowledged, %d client retries, %.0f orders/s in %.1f s, statuses %s",
                planned, acknowledgedOrders.size(), cancelled.size(), idempotentRetries, idempotencyViolations,
                unacknowledged, clientRetries, ordersPerSecond(), elapsed.toMillis() / 1000.0, statusCounts);
    }
}
