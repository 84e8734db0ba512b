package io.outboxcdc.testkit.infra;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Broker settings of the single-node KRaft broker (the same as {@link KafkaBroker} writes), used by the container
 * provider and docker-compose.yml (as {@code KAFKA_*} variables of the {@code apache/kafka} image). Listeners are
 * not here: they depend on where the broker runs.
 */
public final class KafkaSettings {

    public static final Map<String, String> SINGLE_NODE = settings();

    private KafkaSettings() {
    }

    /** {@code broker.session.timeout.ms} becomes {@code KAFKA_BROKER_SESSION_TIMEOUT_MS}, as the image expects. */
    public static String environmentVariable(String property) {
        return "KAFKA_" + property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("num.partitions", "3");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        // A restart after SIGKILL otherwise waits out the default session timeout (~15 s here).
        settings.put("broker.session.timeout.ms", "2000");
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("auto.create.topics.enable", "true");
        return Collections.unmodifiableMap(settings);
    }
}
