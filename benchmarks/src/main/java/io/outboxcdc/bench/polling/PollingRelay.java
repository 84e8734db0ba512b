package io.outboxcdc.bench.polling;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The alternative the CDC relay is compared with, as polling outbox libraries build it: every {@code interval},
 * one transaction takes up to {@code batchSize} outbox rows oldest first with {@code FOR UPDATE SKIP LOCKED}
 * (several instances could share the table), publishes them with the same producer settings and headers as the
 * relay, waits for the acks, deletes the rows and commits. A full batch is followed at once by the next one.
 * Benchmark code only: it is not part of the product.
 */
public final class PollingRelay implements AutoCloseable {

    private static final String SELECT = """
            SELECT id, aggregate_type, aggregate_id, aggregate_sequence, type, payload::text,
                   headers->>'traceparent'
            FROM outbox ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED""";
    private static final String DELETE = "DELETE FROM outbox WHERE id = ANY (?)";

    private final Connection connection;
    private final KafkaProducer<String, String> producer;
    private final Duration interval;
    private final int batchSize;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final Thread thread;
    private volatile Exception failure;

    public PollingRelay(String jdbcUrl, String user, String password, String bootstrapServers, Duration interval,
            int batchSize) {
        this.interval = interval;
        this.batchSize = batchSize;
        try {
            connection = DriverManager.getConnection(jdbcUrl, user, password);
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new IllegalStateException("polling relay cannot connect", e);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        thread = new Thread(this::loop, "polling-relay");
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            try {
                int count = pollOnce();
                if (count < batchSize) {
                    Thread.sleep(interval.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failure = e;
                return;
            }
        }
    }

    private int pollOnce() throws Exception {
        polls.incrementAndGet();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    String type = rs.getString(2);
                    ProducerRecord<String, String> record = new ProducerRecord<>("order".equals(type) ? "orders" : type,
                            rs.getString(3), rs.getString(6));
                    record.headers().add("id", id.toString().getBytes(StandardCharsets.UTF_8));
                    record.headers().add("eventType", rs.getString(5).getBytes(StandardCharsets.UTF_8));
                    record.headers().add("aggregateSequence",
                            Long.toString(rs.getLong(4)).getBytes(StandardCharsets.UTF_8));
                    String traceparent = rs.getString(7);
                    if (traceparent != null) {
                        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
                    }
                    ids.add(id);
                    acks.add(producer.send(record));
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                    Array array = connection.createArrayOf("uuid", ids.toArray());
                    delete.setArray(1, array);
                    delete.executeUpdate();
                }
            }
            connection.commit();
        } catch (Exception e) {
            connection.rollback();
            throw e;
        }
        published.addAndGet(ids.size());
        return ids.size();
    }

    public long published() {
        return published.get();
    }

    public long polls() {
        return polls.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing after the run; nothing left to protect.
        }
        if (failure != null) {
            throw new IllegalStateException("the polling relay failed", failure);
        }
    }
}
