package io.outboxcdc.billing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.billing.KafkaTestSupport;
import io.outboxcdc.billing.TestEvents;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Not part of the suite (the name matches neither *Tests nor *IntegrationTests): billing alone draining a
 * backlog. Run by hand:
 * {@code ./mvnw -B -ntp -pl billing-consumer verify -Dit.test=none -Dtest=BillingDrainBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.events=100000}. Produces the backlog (80 % OrderCreated, 20 %
 * OrderCancelled of an earlier order, 3 partitions), then starts the packaged jar as its own process and prints
 * events/s from its first to its last offset commit (start-up excluded, printed separately).
 */
@RealInfrastructure
class BillingDrainBenchmark {

    private static final String TOPIC = "bench-orders";

    @Test
    void drainABacklog(TestInfrastructure infra) throws Exception {
        int events = Integer.getInteger("bench.events", 100_000);
        JdbcTemplate db = new JdbcTemplate(infra.postgres().superuserDataSource(infra.layout().billingDatabase()));
        try (KafkaTestSupport kafka = new KafkaTestSupport(infra.kafkaBootstrapServers())) {
            kafka.createTopics(3, TOPIC, TOPIC + ".DLT");
            int created = produce(infra.kafkaBootstrapServers(), events);
            long end = kafka.endTotal(TOPIC);
            Instant launched = Instant.now();
            try (BillingProcess billing = BillingProcess.start(infra, "billing-drain",
                    Map.of("billing.topic", TOPIC, "billing.dead-letter-topic", TOPIC + ".DLT",
                            "billing.group-id", "bench",
                            "logging.level.io.outboxcdc.billing.consumer.OrderEventsListener", "WARN"),
                    List.of("-Xmx512m"))) {
                AtomicReference<Instant> first = new AtomicReference<>();
                AtomicLong atFirst = new AtomicLong();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                        .alias("drained in time, see " + billing.logFile()).until(() -> {
                            long committed = kafka.committedTotal("bench", TOPIC);
                            if (committed > 0 && first.compareAndSet(null, Instant.now())) {
                                atFirst.set(committed);
                            }
                            return committed >= end;
                        });
                Instant done = Instant.now();
                double seconds = Duration.between(first.get(), done).toMillis() / 1000.0;
                System.out.printf("%n[bench] billing drained %d events (%d orders) in %.1f s after its first commit"
                                + " (%.1f s after launch): %.0f events/s; ms per record (billing.processing) %.3f%n%n",
                        end - atFirst.get(), created, seconds, Duration.between(launched, done).toMillis() / 1000.0,
                        (end - atFirst.get()) / seconds, 1000 * billing.statistic("billing.processing", "TOTAL_TIME")
                                / billing.statistic("billing.processing", "COUNT"));
                assertThat(db.queryForObject("SELECT count(*) FROM invoices", Long.class)).isEqualTo(created);
                assertThat(db.queryForObject("SELECT count(*) FROM invoice_effects", Long.class)).isEqualTo(events);
            }
        }
    }

    /** @return the number of orders created */
    private static int produce(String bootstrapServers, int events) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        int created = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            java.util.List<UUID> toCancel = new java.util.ArrayList<>();
            for (int i = 0; i < events; i++) {
                ProducerRecord<byte[], byte[]> record;
                if (i % 5 == 4) {
                    record = TestEvents.orderCancelled(TOPIC, UUID.randomUUID(), toCancel.remove(0));
                } else {
                    UUID order = UUID.randomUUID();
                    created++;
                    if (i % 5 == 0) {
                        toCancel.add(order);
                    }
                    record = TestEvents.orderCreated(TOPIC, UUID.randomUUID(), order);
                }
                producer.send(record);
            }
            producer.flush();
        }
        return created;
    }
}
