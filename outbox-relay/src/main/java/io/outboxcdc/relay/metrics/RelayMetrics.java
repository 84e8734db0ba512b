package io.outboxcdc.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** The relay's meters (exported on /actuator/prometheus with {@code _} instead of {@code .}). */
@Component
public class RelayMetrics {

    private final MeterRegistry registry;
    private final Counter relayed;
    private final Timer delay;
    private final AtomicReference<Instant> lastEventCreatedAt = new AtomicReference<>();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicLong retainedWalBytes = new AtomicLong(-1);
    private final AtomicLong confirmedLagBytes = new AtomicLong(-1);
    private final Clock clock;

    @Autowired
    public RelayMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    RelayMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.relayed = Counter.builder("relay.events.relayed")
                .description("Outbox events acknowledged by Kafka").register(registry);
        // The age gauge keeps growing while the outbox is idle; the timer is the delay events actually had.
        this.delay = Timer.builder("relay.event.delay")
                .description("outbox created_at (order commit) to Kafka acknowledgement, per event")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("relay.last.event.age", this, RelayMetrics::lastEventAgeSeconds)
                .description("Seconds between now and created_at of the last relayed event").baseUnit("seconds")
                .register(registry);
        Gauge.builder("relay.leader", leader, l -> l.get() ? 1 : 0)
                .description("1 while this instance holds the leadership lock").register(registry);
        Gauge.builder("relay.slot.retained.wal.bytes", retainedWalBytes, AtomicLong::get)
                .description("WAL the replication slot keeps: pg_current_wal_lsn() - restart_lsn (-1 = unknown)")
                .baseUnit("bytes").register(registry);
        Gauge.builder("relay.slot.confirmed.lag.bytes", confirmedLagBytes, AtomicLong::get)
                .description("pg_current_wal_lsn() - confirmed_flush_lsn of the slot (-1 = unknown)")
                .baseUnit("bytes").register(registry);
        // Registered up front so that the series exists before the first error.
        Counter.builder("relay.errors").tag("kind", "publish").description("Errors by kind").register(registry);
    }

    public void relayed(int count, Instant lastCreatedAt) {
        relayed.increment(count);
        if (lastCreatedAt != null) {
            lastEventCreatedAt.set(lastCreatedAt);
        }
    }

    /** Records each event's delay from its outbox created_at to now (just acknowledged by Kafka). */
    public void delivered(Instant createdAt) {
        if (createdAt != null) {
            delay.record(Duration.between(createdAt, clock.instant()).abs());
        }
    }

    /** kind: publish (a batch failed, is replayed), fatal (relay stopped), engine, leadership. */
    public void countError(String kind) {
        Counter.builder("relay.errors").tag("kind", kind).description("Errors by kind").register(registry)
                .increment();
    }

    public void leader(boolean isLeader) {
        leader.set(isLeader);
    }

    public void slot(long retained, long confirmedLag) {
        retainedWalBytes.set(retained);
        confirmedLagBytes.set(confirmedLag);
    }

    public double relayedCount() {
        return relayed.count();
    }

    double lastEventAgeSeconds() {
        Instant last = lastEventCreatedAt.get();
        return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
    }
}
