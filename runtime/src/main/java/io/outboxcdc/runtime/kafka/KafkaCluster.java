package io.outboxcdc.runtime.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * One or more {@link KafkaBroker} processes forming one KRaft cluster. Every node is a combined broker and
 * controller, so {@code n} nodes are also an {@code n}-voter controller quorum (3 nodes survive the loss of any
 * one, broker or controller). Topic settings follow the size ({@link KafkaSettings#forCluster(int)}).
 *
 * <p>A single node lives in {@code directory} itself, exactly as a lone {@link KafkaBroker}; node {@code i} of a
 * larger cluster in {@code directory/broker-i}.
 */
public final class KafkaCluster implements AutoCloseable {

    private final Path directory;
    private final List<KafkaBroker> brokers;

    /**
     * @param ports client listener of node 1..n
     * @param controllerPorts controller listener of node 1..n
     */
    public KafkaCluster(Path directory, List<Integer> ports, List<Integer> controllerPorts) {
        if (ports.isEmpty() || ports.size() != controllerPorts.size()) {
            throw new IllegalArgumentException("one client and one controller port per node, got " + ports + " and "
                    + controllerPorts);
        }
        this.directory = directory.toAbsolutePath();
        int size = ports.size();
        if (size == 1) {
            this.brokers = List.of(new KafkaBroker(directory, ports.get(0), controllerPorts.get(0)));
        } else {
            String voters = KafkaSettings.quorumVoters(controllerPorts);
            String clusterId = clusterId(this.directory);
            List<KafkaBroker> nodes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                nodes.add(new KafkaBroker(nodeDirectory(this.directory, i + 1), i + 1, ports.get(i),
                        controllerPorts.get(i), voters, size, clusterId, "512m"));
            }
            this.brokers = List.copyOf(nodes);
        }
    }

    /** Where node {@code nodeId} of a cluster of more than one node keeps its configuration, log and data. */
    public static Path nodeDirectory(Path directory, int nodeId) {
        return directory.resolve("broker-" + nodeId);
    }

    /**
     * Starts every node that is not running, at the same time (a node only becomes ready once a majority of the
     * controller quorum is up), and waits until each serves metadata. Returns how long that took.
     */
    public Duration start() {
        refuseDataOfAnotherSize();
        Instant begin = Instant.now();
        List<CompletableFuture<Duration>> starts = brokers.stream()
                .map(broker -> CompletableFuture.supplyAsync(broker::start)).toList();
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return Duration.between(begin, Instant.now());
    }

    /** SIGTERM to every node (controlled shutdown), the last one standing included. */
    public void stop() {
        // In parallel: a node that stops alone while the others wait would spend its controlled shutdown
        // waiting for leadership moves that the next stop undoes anyway.
        brokers.stream().map(broker -> CompletableFuture.runAsync(broker::stop)).toList()
                .forEach(CompletableFuture::join);
    }

    @Override
    public void close() {
        stop();
    }

    public int size() {
        return brokers.size();
    }

    public List<KafkaBroker> brokers() {
        return brokers;
    }

    /** The node with {@code node.id} {@code nodeId} (1..n). */
    public KafkaBroker broker(int nodeId) {
        return brokers.stream().filter(b -> b.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka node " + nodeId + " in " + brokers.size()));
    }

    /** Every node's client listener: clients keep working while any one node is down. */
    public String bootstrapServers() {
        return brokers.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    public int replicationFactor() {
        return KafkaSettings.replicationFactor(size());
    }

    public int minInsyncReplicas() {
        return KafkaSettings.minInsyncReplicas(size());
    }

    /** The node that leads {@code topic}'s {@code partition} now, asked through the nodes that run. */
    public KafkaBroker leaderOf(String topic, int partition) {
        return withAdmin(admin -> {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            Node leader = description.partitions().get(partition).leader();
            if (leader == null || leader.isEmpty()) {
                throw new IllegalStateException(topic + "-" + partition + " has no leader now");
            }
            return broker(leader.id());
        });
    }

    /** The node whose controller is the quorum's leader, the active controller (Admin describeMetadataQuorum). */
    public KafkaBroker activeController() {
        return withAdmin(admin -> broker(admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS)
                .leaderId()));
    }

    /**
     * Partitions of all topics (internal ones included) whose in-sync replicas are fewer than their replicas or
     * that have no leader; empty = fully replicated again.
     */
    public List<String> underReplicatedPartitions() {
        return withAdmin(admin -> {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(10, TimeUnit.SECONDS);
            List<String> under = new ArrayList<>();
            for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS)
                    .values()) {
                for (TopicPartitionInfo p : topic.partitions()) {
                    if (p.leader() == null || p.leader().isEmpty() || p.isr().size() < p.replicas().size()) {
                        under.add(topic.name() + "-" + p.partition() + " isr " + ids(p.isr()) + " of "
                                + ids(p.replicas()));
                    }
                }
            }
            return under;
        });
    }

    /** A short-lived Admin client bootstrapped through every node, so that it works while one is down. */
    public <T> T withAdmin(AdminCall<T> call) {
        try (Admin admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            return call.apply(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka Admin call failed: " + e, e);
        }
    }

    /** A call on an Admin client; may throw what the Admin futures throw. */
    @FunctionalInterface
    public interface AdminCall<T> {
        T apply(Admin admin) throws Exception;
    }

    private static String ids(Collection<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(",", "[", "]"));
    }

    /** Data formatted for another cluster size cannot join this one: say so instead of hanging in start-up. */
    private void refuseDataOfAnotherSize() {
        boolean singleNodeData = Files.exists(directory.resolve("data").resolve("meta.properties"));
        boolean clusterData = Files.isDirectory(nodeDirectory(directory, 1));
        if (size() > 1 ? singleNodeData : clusterData) {
            throw new IllegalStateException(directory + " holds the data of a Kafka cluster of another size than "
                    + size() + " broker(s); delete it (./outbox-cdc up --clean) or start with the size it was made with");
        }
    }

    /** One id for every node, kept beside them so that a restarted node formats (if ever) into the same cluster. */
    private static String clusterId(Path directory) {
        Path file = directory.resolve("cluster.id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(directory);
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
