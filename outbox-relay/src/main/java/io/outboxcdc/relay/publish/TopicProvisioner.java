package io.outboxcdc.relay.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the event topics with the configured partitions and retention before the first event is sent, so
 * that they do not depend on the broker's auto-creation defaults (one key's order only holds within one
 * partition count), and keeps their {@code retention.ms} at the configured value on every start. Also creates
 * the dead-letter topic, and reads the event topics' {@code max.message.bytes} so that the producer refuses an
 * oversized event itself, before it sends anything after it.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 15;

    private TopicProvisioner() {
    }

    public static void ensureTopics(Admin admin, Collection<String> topics, int partitions, short replicationFactor,
            Duration retention) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, String> configs = Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        create(admin, topics, partitions, replicationFactor, configs);
        setRetention(admin, topics, retention);
    }

    public static void ensureDeadLetterTopic(Admin admin, String topic, short replicationFactor, int maxMessageBytes,
            Duration retention) throws InterruptedException, ExecutionException, TimeoutException {
        create(admin, List.of(topic), 1, replicationFactor, Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes),
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
    }

    /** The smallest {@code max.message.bytes} of the given topics: no event larger than that can be published. */
    public static int smallestMaxMessageBytes(Admin admin, Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        int smallest = Integer.MAX_VALUE;
        for (Config config : configs.values()) {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                smallest = Math.min(smallest, Integer.parseInt(entry.value()));
            }
        }
        return smallest;
    }

    private static void create(Admin admin, Collection<String> topics, int partitions, short replicationFactor,
            Map<String, String> configs) throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : topics) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, partitions, replicationFactor).configs(configs));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created topics {}", missing);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void setRetention(Admin admin, Collection<String> topics, Duration retention)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        for (String topic : topics) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())),
                    AlterConfigOp.OpType.SET)));
        }
        admin.incrementalAlterConfigs(ops).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
