package io.outboxcdc.billing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.outboxcdc.billing.BillingProperties;
import io.outboxcdc.billing.event.EventType;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.ordering.BatchResult;
import io.outboxcdc.billing.ordering.ParkedEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every meter is registered up front, so a dashboard (or a test) sees 0 rather than nothing. Counters move only
 * after the batch's transaction committed: a rolled-back attempt that is retried is not counted twice.
 */
@Component
public class BillingMetrics {

    private final Clock clock;
    private final Map<EventType, Counter> processed = new EnumMap<>(EventType.class);
    private final Counter records;
    private final Counter duplicates;
    private final Counter parkedArrivals;
    private final Counter stale;
    private final Counter deadLettered;
    private final Counter retries;
    private final Timer batch;
    private final Timer perRecord;
    private final Timer endToEndDelay;

    public BillingMetrics(MeterRegistry registry, Clock clock, ParkedEvents parkedEvents, BillingProperties billing) {
        this.clock = clock;
        for (EventType type : EventType.values()) {
            processed.put(type, Counter.builder("billing.events.processed")
                    .description("Events whose effect was applied to an invoice")
                    .tag("type", type.headerValue())
                    .register(registry));
        }
        records = Counter.builder("billing.records")
                .description("Records consumed in committed batches (duplicates included)")
                .register(registry);
        duplicates = Counter.builder("billing.duplicates.suppressed")
                .description("Records whose event id was in the inbox already, or earlier in the batch: no effect")
                .register(registry);
        parkedArrivals = Counter.builder("billing.events.parked.arrivals")
                .description("Events that arrived before a predecessor in their order's sequence")
                .register(registry);
        stale = Counter.builder("billing.events.stale")
                .description("New event ids with an already applied or parked sequence: ignored (a producer bug)")
                .register(registry);
        deadLettered = Counter.builder("billing.events.dead.lettered")
                .description("Records published to the dead-letter topic")
                .register(registry);
        retries = Counter.builder("billing.retries")
                .description("Failed attempts that will be retried with back-off (transient failures)")
                .register(registry);
        batch = Timer.builder("billing.batch")
                .description("One committed batch (one partition's records of a poll): its transaction")
                .register(registry);
        perRecord = Timer.builder("billing.processing")
                .description("Transaction time per record, amortised over its batch (sum / count = time per record)")
                .register(registry);
        endToEndDelay = Timer.builder("billing.end.to.end.delay")
                .description("From the event's occurredAt to its effect committed in billing")
                .register(registry);
        Duration tooLong = billing.watch().parkedTooLong();
        gauge(registry, "billing.events.parked", "Events waiting in parked_events for a predecessor",
                parkedEvents::count);
        gauge(registry, "billing.events.parked.oldest.age", "Seconds the oldest parked event has waited",
                () -> parkedEvents.oldestParkedAt().map(at -> Duration.between(at, clock.instant()).toSeconds())
                        .orElse(0L));
        gauge(registry, "billing.events.parked.too.long", "Events parked longer than billing.watch.parked-too-long",
                () -> parkedEvents.countParkedBefore(clock.instant().minus(tooLong)));
    }

    public void batchCommitted(BatchResult result, Duration took) {
        batch.record(took);
        Duration share = took.dividedBy(Math.max(result.records(), 1));
        for (int i = 0; i < result.records(); i++) {
            perRecord.record(share);
        }
        records.increment(result.records());
        duplicates.increment(result.duplicates());
        parkedArrivals.increment(result.parkedArrivals());
        stale.increment(result.stale());
        Instant now = clock.instant();
        for (OrderEvent event : result.applied()) {
            processed.get(event.type()).increment();
            Duration delay = Duration.between(event.occurredAt(), now);
            if (!delay.isNegative()) {
                endToEndDelay.record(delay);
            }
        }
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void retry() {
        retries.increment();
    }

    /** A database-backed gauge: while the database is away it keeps its last value instead of failing the scrape. */
    private static void gauge(MeterRegistry registry, String name, String description, Supplier<Long> query) {
        AtomicLong last = new AtomicLong();
        Gauge.builder(name, () -> {
            try {
                last.set(query.get());
            } catch (RuntimeException databaseUnavailable) {
                // Keep the last known value.
            }
            return last.get();
        }).description(description).register(registry);
    }
}
