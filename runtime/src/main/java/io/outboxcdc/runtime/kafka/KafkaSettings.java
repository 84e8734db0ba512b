package io.outboxcdc.runtime.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one place for the KRaft broker's settings, per cluster size: {@link KafkaBroker} writes them into its
 * {@code server.properties}, the container provider and docker-compose.yml pass {@link #SINGLE_NODE} as
 * {@code KAFKA_*} variables of the {@code apache/kafka} image. Listeners are not here: they depend on where the
 * broker runs.
 */
public final class KafkaSettings {

    public static final Map<String, String> SINGLE_NODE = forCluster(1);

    private KafkaSettings() {
    }

    /**
     * Copies of every partition (topics and the internal offsets, transaction and share-state logs): one per
     * broker, at most three.
     */
    public static int replicationFactor(int brokers) {
        requirePositive(brokers);
        return Math.min(brokers, 3);
    }

    /**
     * Copies that must have a record before an {@code acks=all} producer is answered: all but one, so that one
     * broker may be down without stopping writes and an acknowledged record survives the loss of any one broker.
     */
    public static int minInsyncReplicas(int brokers) {
        int replicas = replicationFactor(brokers);
        return replicas == 1 ? 1 : replicas - 1;
    }

    /** The broker settings of a cluster of {@code brokers} KRaft nodes (the same on every node). */
    public static Map<String, String> forCluster(int brokers) {
        String replicas = Integer.toString(replicationFactor(brokers));
        String minInsync = Integer.toString(minInsyncReplicas(brokers));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("num.partitions", "3");
        settings.put("default.replication.factor", replicas);
        settings.put("min.insync.replicas", minInsync);
        settings.put("offsets.topic.replication.factor", replicas);
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.replication.factor", replicas);
        settings.put("transaction.state.log.min.isr", minInsync);
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.replication.factor", replicas);
        settings.put("share.coordinator.state.topic.min.isr", minInsync);
        settings.put("group.initial.rebalance.delay.ms", "0");
        // A restart after SIGKILL otherwise waits out the default session timeout (~15 s here); in a cluster the
        // same timeout is how long a dead broker's partitions wait for a new leader.
        settings.put("broker.session.timeout.ms", "2000");
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("auto.create.topics.enable", "true");
        return Collections.unmodifiableMap(settings);
    }

    /**
     * {@code controller.quorum.voters} of combined broker+controller nodes 1..n on loopback, node {@code i}'s
     * controller listening on {@code controllerPorts.get(i - 1)}.
     */
    public static String quorumVoters(List<Integer> controllerPorts) {
        return IntStream.range(0, controllerPorts.size())
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
    }

    /** {@code broker.session.timeout.ms} becomes {@code KAFKA_BROKER_SESSION_TIMEOUT_MS}, as the image expects. */
    public static String environmentVariable(String property) {
        return "KAFKA_" + property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static void requirePositive(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a Kafka cluster has at least one broker, got " + brokers);
        }
    }
}
