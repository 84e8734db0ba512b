package io.outboxcdc.bench;

import java.time.Duration;
import java.util.List;

/** How big each scenario is: the full suite (~12 min here) or {@code --quick} (the CI smoke, tiny). */
public record Sizes(boolean quick, Duration restWarmUp, Duration restMeasured, List<Integer> concurrencies,
        List<Integer> taxConcurrencies, List<Integer> rates, Duration rateDuration, Duration catchUp, int searchSteps,
        int comparisonRate, Duration comparisonDuration, int drainRows, boolean offsetFlushVariant, int openLoopClients) {

    public static Sizes full() {
        return new Sizes(false, Duration.ofSeconds(3), Duration.ofSeconds(10), List.of(1, 8, 32, 64), List.of(8, 32),
                List.of(100, 500, 1000), Duration.ofSeconds(20), Duration.ofSeconds(15), 2, 200,
                Duration.ofSeconds(20), 100_000, true, 64);
    }

    public static Sizes smoke() {
        return new Sizes(true, Duration.ofMillis(500), Duration.ofSeconds(1), List.of(1, 8), List.of(8), List.of(50),
                Duration.ofSeconds(3), Duration.ofSeconds(10), 0, 50, Duration.ofSeconds(3), 2_000, false, 16);
    }
}
