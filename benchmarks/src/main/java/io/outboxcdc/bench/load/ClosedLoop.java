package io.outboxcdc.bench.load;

import io.outboxcdc.bench.measure.Percentiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * {@code concurrency} threads each run one operation after the other for warm-up + measured time; only the
 * measured part counts. Each thread has its own operation (e.g. its own JDBC connection).
 */
public final class ClosedLoop {

    /** One client's operation: true = success. Closed after the run. */
    public interface Operation extends AutoCloseable {
        boolean run() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    private ClosedLoop() {
    }

    public static Throughput run(String target, int concurrency, Duration warmUp, Duration measured,
            Supplier<Operation> clients) {
        long begin = System.nanoTime();
        long measureFrom = begin + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Histogram histogram = Percentiles.newMicrosHistogram();
            histograms.add(histogram);
            Thread thread = new Thread(() -> {
                try (Operation operation = clients.get()) {
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= end) {
                            break;
                        }
                        boolean success;
                        try {
                            success = operation.run();
                        } catch (Exception e) {
                            success = false;
                        }
                        long stop = System.nanoTime();
                        if (start >= measureFrom && stop <= end) {
                            if (success) {
                                ok.incrementAndGet();
                                histogram.recordValue(Math.max(1, (stop - start) / 1000));
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }, target + "-client-" + i);
            threads.add(thread);
            thread.start();
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Histogram all = Percentiles.newMicrosHistogram();
        histograms.forEach(all::add);
        return new Throughput(target, concurrency, ok.get(), errors.get(), measured.toNanos() / 1e9,
                Percentiles.ofMicros(all));
    }
}
