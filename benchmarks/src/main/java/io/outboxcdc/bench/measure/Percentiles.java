package io.outboxcdc.bench.measure;

import org.HdrHistogram.Histogram;

/** p50/p95/p99/max in milliseconds of one histogram; {@code count} = 0 means nothing was measured. */
public record Percentiles(long count, double p50, double p95, double p99, double max) {

    public static final Percentiles NONE = new Percentiles(0, -1, -1, -1, -1);

    /** From a histogram recorded in microseconds. */
    public static Percentiles ofMicros(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return NONE;
        }
        return new Percentiles(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(95) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    public static Histogram newMicrosHistogram() {
        // Up to one hour, three significant digits.
        return new Histogram(3_600_000_000L, 3);
    }
}
