package io.outboxcdc.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.outboxcdc.relay.engine.RecordKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
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
    private final Map<RecordKind, Counter> skipped = new EnumMap<>(RecordKind.class);
    private final Counter deadLettered;
    private final AtomicLong slotLost = new AtomicLong(-1);

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
        for (RecordKind kind : RecordKind.values()) {
            if (kind != RecordKind.OUTBOX_INSERT) {
                skipped.put(kind, Counter.builder("relay.records.skipped").tag("kind", kind.tag())
                        .description("Records of the replication stream that are not outbox inserts, skipped")
                        .register(registry));
            }
        }
        this.deadLettered = Counter.builder("relay.events.dead.lettered")
                .description("Outbox events an operator moved to the relay's dead-letter topic").register(registry);
        Gauge.builder("relay.slot.lost", slotLost, AtomicLong::get)
                .description("1 when PostgreSQL invalidated the slot (wal_status lost / restart_lsn NULL), -1 unknown")
                .register(registry);
        // Registered up front so that the series exists before the first error.
        Counter.builder("relay.errors").tag("kind", "publish").description("Errors by kind").register(registry);
    }

    /** One event acknowledged by Kafka: counted, its delay recorded. Called from the producer's I/O thread. */
    public void acknowledged(Instant createdAt) {
        relayed.increment();
        if (createdAt != null) {
            delay.record(Duration.between(createdAt, clock.instant()).abs());
            // Acks of different partitions arrive out of order: the age follows the newest event.
            lastEventCreatedAt.accumulateAndGet(createdAt,
                    (current, next) -> current == null || next.isAfter(current) ? next : current);
        }
    }

    /** A record of the replication stream that is not an outbox insert: skipped, counted by kind. */
    public void skipped(RecordKind kind) {
        skipped.get(kind).increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public double skippedCount(RecordKind kind) {
        return skipped.get(kind).count();
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

    /** lost: 1 invalidated, 0 healthy, -1 unknown (no sample, or no slot). */
    public void slotLost(int lost) {
        slotLost.set(lost);
    }

    public double relayedCount() {
        return relayed.count();
    }

    double lastEventAgeSeconds() {
        Instant last = lastEventCreatedAt.get();
        return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
    }
}
