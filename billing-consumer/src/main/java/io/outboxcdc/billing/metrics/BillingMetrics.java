package io.outboxcdc.billing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.outboxcdc.billing.event.EventType;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.ordering.ParkedEvents;
import io.outboxcdc.billing.ordering.ProcessingResult;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Every meter is registered up front, so a dashboard (or a test) sees 0 rather than nothing. Counters move only
 * after the record's transaction committed: a rolled-back attempt that is retried is not counted twice.
 */
@Component
public class BillingMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<EventType, Counter> processed = new EnumMap<>(EventType.class);
    private final Counter duplicates;
    private final Counter parkedArrivals;
    private final Counter stale;
    private final Counter deadLettered;
    private final Timer endToEndDelay;
    private final AtomicLong lastParkedCount = new AtomicLong();

    public BillingMetrics(MeterRegistry registry, Clock clock, ParkedEvents parkedEvents) {
        this.registry = registry;
        this.clock = clock;
        for (EventType type : EventType.values()) {
            processed.put(type, Counter.builder("billing.events.processed")
                    .description("Events whose effect was applied to an invoice")
                    .tag("type", type.headerValue())
                    .register(registry));
        }
        duplicates = Counter.builder("billing.duplicates.suppressed")
                .description("Records whose event id was in the inbox already: no effect")
                .register(registry);
        parkedArrivals = Counter.builder("billing.events.parked.arrivals")
                .description("Events parked because a predecessor in their order's sequence was missing")
                .register(registry);
        stale = Counter.builder("billing.events.stale")
                .description("New event ids with an already applied sequence: ignored (a producer bug)")
                .register(registry);
        deadLettered = Counter.builder("billing.events.dead.lettered")
                .description("Poison records published to the dead-letter topic")
                .register(registry);
        endToEndDelay = Timer.builder("billing.end.to.end.delay")
                .description("From the event's occurredAt to its effect committed in billing")
                .register(registry);
        Gauge.builder("billing.events.parked", () -> parkedCount(parkedEvents))
                .description("Events waiting in parked_events for a predecessor")
                .register(registry);
    }

    public Timer.Sample startProcessing() {
        return Timer.start(registry);
    }

    public void processed(Timer.Sample sample, ProcessingResult result) {
        sample.stop(Timer.builder("billing.processing")
                .description("Processing of one record: parsing, inbox, ordering, effect, commit")
                .tag("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
                .register(registry));
        switch (result.outcome()) {
            case APPLIED -> result.applied().forEach(this::applied);
            case DUPLICATE -> duplicates.increment();
            case PARKED -> parkedArrivals.increment();
            case STALE -> stale.increment();
        }
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    private void applied(OrderEvent event) {
        processed.get(event.type()).increment();
        Duration delay = Duration.between(event.occurredAt(), clock.instant());
        if (!delay.isNegative()) {
            endToEndDelay.record(delay);
        }
    }

    /** While the database is away the gauge keeps its last value instead of failing the scrape. */
    private long parkedCount(ParkedEvents parkedEvents) {
        try {
            lastParkedCount.set(parkedEvents.count());
        } catch (RuntimeException databaseUnavailable) {
            // Keep the last known value.
        }
        return lastParkedCount.get();
    }
}
