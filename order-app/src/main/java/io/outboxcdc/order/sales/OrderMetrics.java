package io.outboxcdc.order.sales;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Counts state changes once their transaction has committed, so a rollback is never counted. */
@Component
public class OrderMetrics {

    private final Counter created;
    private final Counter cancelled;

    public OrderMetrics(MeterRegistry registry) {
        this.created = Counter.builder("orders.placed").description("Orders created (committed)").register(registry);
        this.cancelled = Counter.builder("orders.cancelled").description("Orders cancelled (committed)")
                .register(registry);
    }

    void createdAfterCommit() {
        afterCommit(created);
    }

    void cancelledAfterCommit() {
        afterCommit(cancelled);
    }

    private static void afterCommit(Counter counter) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }
}
