package io.outboxcdc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.runtime.kafka.KafkaInfrastructure;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

// Issue 2: the broker is a real KRaft process; what it acknowledged survives a SIGKILL.
@RealInfrastructure
class KafkaBrokerIntegrationTests {

    @Test
    void roundTripsRecordsWithAnIdempotentAcksAllProducer(TestInfrastructure infra) throws Exception {
        String topic = "smoke-" + UUID.randomUUID();
        createTopic(infra, topic);
        List<String> sent = produce(infra, topic, 100);

        assertThat(consumeAll(infra, topic, sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void keepsAcknowledgedRecordsAcrossASigkill(TestInfrastructure infra) throws Exception {
        String topic = "survivor-" + UUID.randomUUID();
        createTopic(infra, topic);
        List<String> sent = produce(infra, topic, 500);
        KafkaInfrastructure broker = infra.kafka();
        long pidBefore = broker.pid();

        broker.kill();
        assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Duration restart = broker.start();
        System.out.printf("[testkit] Kafka broker restarted after SIGKILL in %d ms%n", restart.toMillis());

        assertThat(broker.pid()).isNotEqualTo(pidBefore);
        assertThat(consumeAll(infra, topic, sent.size())).containsExactlyElementsOf(sent);
    }

    private static void createTopic(TestInfrastructure infra, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static List<String> produce(TestInfrastructure infra, String topic, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        List<String> values = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                String value = "record-" + i;
                values.add(value);
                acks.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 7), value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                assertThat(ack.get().hasOffset()).isTrue();
            }
        }
        return values;
    }

    private static List<String> consumeAll(TestInfrastructure infra, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
