package io.outboxcdc.relay.publish;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer side of one engine run. A new instance per run: after a failed send an idempotent producer's
 * state is not worth trusting, and the engine replays everything unacknowledged anyway.
 */
public class KafkaEventPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public KafkaEventPublisher(String bootstrapServers, Map<String, String> overrides) {
        this(producerProperties(bootstrapServers, overrides));
    }

    public KafkaEventPublisher(Properties properties) {
        this.producer = new KafkaProducer<>(properties);
    }

    /** The producer settings; per-key order needs idempotence with at most 5 requests in flight. */
    public static Properties producerProperties(String bootstrapServers, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        // Bounds how long one batch waits for a broker that is down before the engine run fails and backs off.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        overrides.forEach(p::put);
        return p;
    }

    /**
     * The producer settings for an event topic that accepts at most {@code maxMessageBytes}: the producer then
     * refuses a larger event itself, synchronously, before anything after it is sent (the broker would refuse
     * it only asynchronously, while later events are already on their way).
     */
    public static Properties producerProperties(String bootstrapServers, Map<String, String> overrides,
            int maxMessageBytes) {
        Properties p = producerProperties(bootstrapServers, overrides);
        int configured = Integer.parseInt(String.valueOf(p.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                "1048576")));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Math.min(configured, maxMessageBytes)));
        return p;
    }

    public Future<RecordMetadata> send(OutboxEvent event) {
        return producer.send(event.record());
    }

    public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
        return producer.send(record, callback);
    }

    /**
     * Fails every unsent record at once. Called from a send callback after a failure, it is Kafka's documented
     * way to keep later records from being sent (and so from overtaking the failed one).
     */
    public void closeNow() {
        producer.close(Duration.ZERO);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        producer.close(timeout);
    }
}
