package io.outboxcdc.bench.load;

import io.outboxcdc.bench.measure.Percentiles;

/** Closed-loop result: {@code concurrency} clients as fast as they go, after a warm-up. */
public record Throughput(String target, int concurrency, long operations, long errors, double seconds,
        Percentiles latency) {

    public double perSecond() {
        return seconds <= 0 ? 0 : operations / seconds;
    }
}
