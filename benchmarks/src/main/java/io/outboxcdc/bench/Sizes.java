package io.outboxcdc.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big each scenario is: the full suite (≈ 25–30 min on 2 cores with the Connect section) or {@code --quick} (the CI smoke, tiny sizes,
 * about a minute after the stack is up).
 *
 * @param warmRate open-loop rate of the warm-up windows
 * @param warmWindow length of one warm-up window
 * @param warmMinWindows / warmMaxWindows bounds on the warm-up: steady = two consecutive windows within 5 %
 * @param fixedRate the rate of the fixed-rate rows (commit → Kafka / invoice, CPU per order, relay designs)
 * @param searchStart first rate of the search for the highest bounded rate; then ×1.5 until unbounded, then
 *     bisection down to {@code searchResolution}
 */
public record Sizes(boolean quick, int warmRate, Duration warmWindow, int warmMinWindows, int warmMaxWindows,
        int readmeOrders, int readmeConcurrency, Duration readmeSettle,
        int fixedRate, Duration fixedDuration, int searchStart, int searchResolution, int searchMaxRuns,
        Duration searchDuration, Duration catchUp, int openLoopClients,
        Duration profileDuration,
        Duration restWarmUp, Duration restMeasured, List<Integer> concurrencies,
        int drainRows, Duration billingDrainCap,
        Duration designDuration, boolean allDesigns) {

    public static Sizes full() {
        return new Sizes(false, 200, Duration.ofSeconds(4), 3, 10,
                5000, 32, Duration.ofSeconds(60),
                300, Duration.ofSeconds(20), 500, 25, 7, Duration.ofSeconds(15), Duration.ofSeconds(15), 64,
                Duration.ofSeconds(15),
                Duration.ofSeconds(3), Duration.ofSeconds(10), List.of(8, 32),
                100_000, Duration.ofSeconds(60),
                Duration.ofSeconds(20), true);
    }

    public static Sizes smoke() {
        return new Sizes(true, 50, Duration.ofSeconds(1), 2, 3,
                200, 8, Duration.ofSeconds(20),
                50, Duration.ofSeconds(3), 0, 25, 0, Duration.ofSeconds(3), Duration.ofSeconds(10), 16,
                Duration.ofSeconds(3),
                Duration.ofMillis(500), Duration.ofSeconds(1), List.of(8),
                2_000, Duration.ofSeconds(20),
                Duration.ofSeconds(3), false);
    }
}
