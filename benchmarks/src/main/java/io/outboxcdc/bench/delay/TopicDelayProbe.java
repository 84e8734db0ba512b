package io.outboxcdc.bench.delay;

import io.outboxcdc.contracts.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its end while a scenario runs and records, per OrderCreated event, commit → produced (the
 * record's CreateTime, set by the relay's producer at send; on Kafka Connect, Debezium's EventRouter sets it to the
 * time the connector read the change) and commit → received (when this consumer, reading committed records only,
 * saw it).
 * "Commit" is the order's created_at (the payload's occurredAt), taken just before the inserts of its transaction,
 * so both delays include the few milliseconds the transaction itself took.
 */
public final class TopicDelayProbe implements AutoCloseable {

    private static final Pattern OCCURRED_AT = Pattern.compile("\"occurredAt\"\\s*:\\s*\"([^\"]+)\"");

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong records = new AtomicLong();
    private final DelaySamples produced = new DelaySamples();
    private final DelaySamples received = new DelaySamples();

    public TopicDelayProbe(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // As billing and verify read: a relay that writes in Kafka transactions (Connect with exactly-once source)
        // is "on Kafka" once its transaction commits. Without transactions this reads what read_uncommitted reads.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, not at the first poll
        thread = new Thread(this::consume, "delay-probe-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        while (running.get()) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                long now = System.currentTimeMillis();
                records.incrementAndGet();
                var type = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
                if (type == null || !"OrderCreated".equals(new String(type.value(), StandardCharsets.UTF_8))
                        || record.value() == null) {
                    continue;
                }
                Matcher m = OCCURRED_AT.matcher(record.value());
                if (!m.find()) {
                    continue;
                }
                Instant createdAt = Instant.parse(m.group(1));
                long createdMicros = DelaySamples.micros(createdAt);
                produced.add(createdAt, record.timestamp() * 1000 - createdMicros);
                received.add(createdAt, now * 1000 - createdMicros);
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    public long records() {
        return records.get();
    }

    public DelaySamples produced() {
        return produced;
    }

    public DelaySamples received() {
        return received;
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
