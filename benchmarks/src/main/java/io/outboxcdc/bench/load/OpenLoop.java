package io.outboxcdc.bench.load;

import io.outboxcdc.bench.measure.Percentiles;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open loop: orders are due at fixed intervals whatever the answers do (no coordinated omission); a pool of
 * {@code clients} threads sends them. Latency is measured from the due time, so a backlog in the client shows.
 * Orders that would wait more than about two seconds for a client thread are shed (counted, never sent): a
 * rate the system cannot take then shows as a lower achieved rate instead of an ever longer run.
 */
public final class OpenLoop {

    /** What was sent in [start, end): {@code achieved} = acknowledged orders per second of the run. */
    public record Result(double targetRate, long due, long acknowledged, long errors, long shed, Instant start,
            Instant end, Percentiles latencyFromDue) {

        public double achievedRate() {
            double seconds = Duration.between(start, end).toNanos() / 1e9;
            return seconds <= 0 ? 0 : acknowledged / seconds;
        }
    }

    private OpenLoop() {
    }

    public static Result run(OrderRequests requests, double rate, Duration duration, int clients) {
        AtomicLong shed = new AtomicLong();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(clients, clients, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>((int) Math.max(100, rate * 2)), (task, executor) -> shed.incrementAndGet());
        Histogram latency = Percentiles.newMicrosHistogram();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        Instant start = Instant.now();
        long begin = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = begin + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            pool.execute(() -> {
                boolean success = requests.place();
                long micros = Math.max(1, (System.nanoTime() - due) / 1000);
                if (success) {
                    ok.incrementAndGet();
                    synchronized (latency) {
                        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                    }
                } else {
                    errors.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Instant end = Instant.now();
        return new Result(rate, total, ok.get(), errors.get(), shed.get(), start, end, Percentiles.ofMicros(latency));
    }
}
