package io.outboxcdc.system.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Asks the broker (Admin API, no records read) for the billing group's committed offsets against the topic's
 * end offsets (consumer lag per partition) and for the dead-letter topic's size (end minus start offsets).
 */
final class KafkaProbe implements AutoCloseable {

    record PartitionLag(int partition, Long committed, long end, Long lag) {
    }

    /** deadLetteredAt: when the dead-letter count was read (it is read every few seconds, not every second). */
    record Reading(List<PartitionLag> consumerLag, Long deadLettered, java.time.Instant deadLetteredAt) {
    }

    private static final long TIMEOUT_MS = 2_000;

    private final Admin admin;
    private final String topic;
    private final String deadLetterTopic;
    private final String group;
    // The topic's partitions change only when somebody alters the topic: described again on every full read.
    private List<TopicPartition> partitions;
    private Long deadLettered;
    private java.time.Instant deadLetteredAt;

    KafkaProbe(String bootstrapServers, String topic, String deadLetterTopic, String group) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-cdc-live");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        this.admin = Admin.create(props);
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.group = group;
    }

    /**
     * Empty when the broker does not answer within two seconds. Consumer lag is read every time (two requests);
     * with {@code full} also the topic's partitions and the dead-letter topic's size (four more), otherwise the
     * last dead-letter count is returned with the time it was read.
     */
    synchronized Optional<Reading> read(boolean full) {
        try {
            if (full || partitions == null) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of(topic))
                        .allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                partitions = topics.get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (full || deadLetteredAt == null) {
                deadLettered = deadLettered();
                deadLetteredAt = java.time.Instant.now();
            }
            Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<PartitionLag> lags = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                long endOffset = end.get(partition);
                Long at = offset == null ? null : offset.offset();
                lags.add(new PartitionLag(partition.partition(), at, endOffset, at == null ? null : Math.max(0, endOffset - at)));
            }
            return Optional.of(new Reading(lags, deadLettered, deadLetteredAt));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            partitions = null; // described again when the broker answers
            deadLetteredAt = null;
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Long deadLettered() throws InterruptedException {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(deadLetterTopic)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(deadLetterTopic).partitions().stream()
                    .map(p -> new TopicPartition(deadLetterTopic, p.partition())).toList();
            Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
            return partitions.stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
        } catch (java.util.concurrent.ExecutionException e) {
            // The dead-letter topic is created on first use: no topic means nothing was dead-lettered.
            return e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException ? 0L : null;
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, Long> result = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).forEach((p, info) -> result.put(p, info.offset()));
        return result;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
