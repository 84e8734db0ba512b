package io.outboxcdc.system.live;

import io.outboxcdc.contracts.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the topic the way {@code verify}'s scan reads it (no group, nothing committed, read_committed, by event
 * id header) but incrementally: each record is read once, so "records on the topic" and "duplicates delivered"
 * stay exact without scanning the whole topic every second. Reads from the beginning once at start; while nobody
 * watches it only holds its position, and catches up when the page is opened again.
 */
final class TopicTail implements AutoCloseable {

    private final String bootstrapServers;
    private final String topic;
    private final BooleanSupplier watched;
    private final Thread thread;
    private final Set<UUID> eventIds = new HashSet<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private long records;

    TopicTail(String bootstrapServers, String topic, BooleanSupplier watched) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.watched = watched;
        this.thread = new Thread(this::follow, "live-topic-tail");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    record Counts(long records, long distinctEvents, boolean caughtUp) {
        long duplicates() {
            return records - distinctEvents;
        }
    }

    synchronized Counts counts() {
        return new Counts(records, eventIds.size(), caughtUp);
    }

    private void follow() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "outbox-cdc-live-tail");
        // An idle topic then costs one fetch a second, not two; records still arrive as soon as there are some.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1000);
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(props)) {
            consumer = kafka;
            List<TopicPartition> partitions = awaitPartitions(kafka);
            if (partitions.isEmpty()) {
                return;
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = kafka.endOffsets(partitions, Duration.ofSeconds(30));
            while (running) {
                if (!watched.getAsBoolean()) {
                    Thread.sleep(500); // idle while no page is open; the position is kept
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofSeconds(1))) {
                    count(record);
                }
                if (!caughtUp) {
                    caughtUp = endAtStart.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue());
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // Closing.
        } catch (RuntimeException e) {
            System.err.println("live page: stopped following topic " + topic + ": " + e);
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> kafka) throws InterruptedException {
        while (running) {
            try {
                List<PartitionInfo> infos = kafka.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // Broker not (yet) reachable or topic not created yet: ask again.
            }
            Thread.sleep(2_000); // retry interval while the topic does not exist yet
        }
        return List.of();
    }

    private synchronized void count(ConsumerRecord<byte[], byte[]> record) {
        records++;
        Header id = record.headers().lastHeader(EventHeaders.ID);
        if (id != null && id.value() != null) {
            try {
                eventIds.add(UUID.fromString(new String(id.value(), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                // Not an event id (a poison record): counted as a record, not as an event.
            }
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
