package io.outboxcdc.billing.consumer;

import io.outboxcdc.billing.BillingProperties;
import io.outboxcdc.billing.ordering.ParkedEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * DOWN, naming partition, offset and reason, when a partition's next record was deleted unread
 * ({@link OffsetGuard}) or when a partition has not advanced for {@code billing.watch.stuck-after} while a
 * record waits ({@link PartitionWatch}). Events parked longer than {@code billing.watch.parked-too-long} are
 * reported in the details without turning health DOWN: billing itself works, an order's history has a hole.
 */
@Component("partitions")
public class PartitionsHealthIndicator extends AbstractHealthIndicator {

    private final OffsetGuard offsetGuard;
    private final PartitionWatch watch;
    private final ParkedEvents parkedEvents;
    private final BillingProperties.Watch limits;
    private final Clock clock;

    public PartitionsHealthIndicator(OffsetGuard offsetGuard, PartitionWatch watch, ParkedEvents parkedEvents,
            BillingProperties billing, Clock clock) {
        this.offsetGuard = offsetGuard;
        this.watch = watch;
        this.parkedEvents = parkedEvents;
        this.limits = billing.watch();
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        var gaps = offsetGuard.gaps().values().stream().toList();
        List<PartitionWatch.Stuck> stuck = watch.stuck(limits.stuckAfter());
        (gaps.isEmpty() && stuck.isEmpty() ? builder.up() : builder.down())
                .withDetail("offsetsGone", gaps)
                .withDetail("stuck", stuck)
                .withDetail("stuckAfterSeconds", limits.stuckAfter().toSeconds());
        Map<String, Object> parked = new LinkedHashMap<>();
        try {
            ParkedEvents.Stats stats = parkedEvents.stats(clock.instant().minus(limits.parkedTooLong()));
            long tooLong = stats.parkedTooLong();
            parked.put("count", stats.count());
            parked.put("parkedTooLong", tooLong);
            parked.put("oldestSeconds", stats.oldestParkedAt()
                    .map(at -> Duration.between(at, clock.instant()).toSeconds()).orElse(0L));
            parked.put("parkedTooLongAfterSeconds", limits.parkedTooLong().toSeconds());
            if (tooLong > 0) {
                parked.put("action", "list them with GET /actuator/parked; release or dead-letter each"
                        + " (README, 'Parked events')");
            }
        } catch (RuntimeException databaseUnavailable) {
            parked.put("error", "database unavailable: " + databaseUnavailable.getMessage());
        }
        builder.withDetail("parked", parked);
    }
}
