package io.outboxcdc.bench.delay;

import io.outboxcdc.bench.measure.Percentiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Delays (µs) keyed by the order's commit time (created_at), to cut windows of a run and see a trend. */
public final class DelaySamples {

    private final List<long[]> samples = new ArrayList<>(); // {createdAtMicros, delayMicros}

    public synchronized void add(Instant createdAt, long delayMicros) {
        samples.add(new long[] {micros(createdAt), Math.max(1, delayMicros)});
    }

    public synchronized int size() {
        return samples.size();
    }

    /** Percentiles of the samples whose created_at is in [from, to). */
    public synchronized Percentiles between(Instant from, Instant to) {
        long a = micros(from);
        long b = micros(to);
        Histogram h = Percentiles.newMicrosHistogram();
        for (long[] s : samples) {
            if (s[0] >= a && s[0] < b) {
                h.recordValue(Math.min(s[1], h.getHighestTrackableValue()));
            }
        }
        return Percentiles.ofMicros(h);
    }

    /**
     * Lag stays bounded when the median delay of the run's last quarter is at most 1 s and no more than twice
     * that of its second quarter (+250 ms for noise): a backlog that grows makes late orders wait ever longer.
     */
    public boolean bounded(Instant start, Instant end) {
        long quarter = (micros(end) - micros(start)) / 4;
        Instant q1 = ofMicros(micros(start) + quarter);
        Instant q2 = ofMicros(micros(start) + 2 * quarter);
        Instant q3 = ofMicros(micros(start) + 3 * quarter);
        Percentiles early = between(q1, q2);
        Percentiles late = between(q3, end);
        return early.count() > 0 && late.count() > 0 && late.p50() <= 1000 && late.p50() <= 2 * early.p50() + 250;
    }

    public synchronized List<long[]> copy() {
        return new ArrayList<>(samples);
    }

    static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1000);
    }
}
