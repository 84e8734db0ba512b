package io.outboxcdc.relay.health;

import io.outboxcdc.relay.engine.RelayStatus;
import io.outboxcdc.relay.engine.RelayStatus.Phase;
import io.outboxcdc.relay.metrics.SlotLagMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * UP when this instance streams as the leader, or waits as a healthy standby; DOWN while the engine starts,
 * recovers from a failure, has stopped at an unpublishable event, Kafka does not answer, or the replication slot
 * is lost (invalidated by PostgreSQL) or missing.
 */
@Component("relay")
public class RelayHealthIndicator implements HealthIndicator {

    private static final Duration KAFKA_PROBE_CACHE = Duration.ofSeconds(3);

    private final RelayStatus status;
    private final Admin admin;
    private final SlotLagMonitor slot;
    private volatile Instant kafkaCheckedAt = Instant.EPOCH;
    private volatile String kafkaProblem;

    public RelayHealthIndicator(RelayStatus status, Admin admin, SlotLagMonitor slot) {
        this.status = status;
        this.admin = admin;
        this.slot = slot;
    }

    @Override
    public Health health() {
        Phase phase = status.phase();
        String kafka = kafkaProblem();
        SlotLagMonitor.SlotHealth slotHealth = slot.slotHealth();
        Health.Builder builder = (phase == Phase.STREAMING || phase == Phase.STANDBY) && kafka == null
                && slotHealth.problem() == null ? Health.up() : Health.down();
        builder.withDetail("role", phase == Phase.STANDBY ? "standby" : "leader")
                .withDetail("phase", phase.name())
                .withDetail("detail", status.detail())
                .withDetail("since", status.since().toString());
        if (kafka != null) {
            builder.withDetail("kafka", kafka);
        }
        if (slotHealth.walStatus() != null) {
            builder.withDetail("slotWalStatus", slotHealth.walStatus());
        }
        if (slotHealth.problem() != null) {
            builder.withDetail("slot", slotHealth.problem());
        }
        return builder.build();
    }

    private String kafkaProblem() {
        if (Instant.now().isAfter(kafkaCheckedAt.plus(KAFKA_PROBE_CACHE))) {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
                kafkaProblem = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kafkaProblem = "health check interrupted";
            } catch (Exception e) {
                kafkaProblem = "Kafka unreachable: " + e;
            }
            kafkaCheckedAt = Instant.now();
        }
        return kafkaProblem;
    }
}
