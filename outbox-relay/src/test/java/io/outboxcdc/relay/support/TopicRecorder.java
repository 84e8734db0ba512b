package io.outboxcdc.relay.support;

import io.outboxcdc.contracts.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning on a background thread and keeps every record it saw. */
public final class TopicRecorder implements AutoCloseable {

    /** One received event, with the contract's headers decoded. */
    public record Received(String key, String value, int partition, long offset, Map<String, String> headers) {
        public String id() {
            return headers.get("id");
        }

        public long sequence() {
            return Long.parseLong(headers.get(EventHeaders.AGGREGATE_SEQUENCE));
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public TopicRecorder(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "recorder-" + topic + "-" + System.nanoTime());
        thread = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        Map<String, String> headers = new LinkedHashMap<>();
                        for (Header h : r.headers()) {
                            headers.put(h.key(), h.value() == null ? null
                                    : new String(h.value(), StandardCharsets.UTF_8));
                        }
                        received.add(new Received(r.key(), r.value(), r.partition(), r.offset(), headers));
                    }
                }
            }
        }, "topic-recorder-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> receivedOf(Set<String> eventIds) {
        return received.stream().filter(r -> eventIds.contains(r.id())).toList();
    }

    public Set<String> distinctIds(Set<String> eventIds) {
        return received.stream().map(Received::id).filter(eventIds::contains).collect(Collectors.toSet());
    }

    /** Event id -> how often it arrived, for ids that arrived more than once. */
    public static Map<String, Integer> duplicates(List<Received> records) {
        Map<String, Integer> counts = new HashMap<>();
        records.forEach(r -> counts.merge(r.id(), 1, Integer::sum));
        counts.values().removeIf(c -> c == 1);
        return counts;
    }

    /**
     * Keys whose events did not arrive in aggregateSequence order. A replay after a crash starts a key's
     * sequence again from an earlier point; what matters is that each event first arrives after its
     * predecessor: the first arrivals per key must be 1, 2, 3, ...
     */
    public static List<String> outOfOrderKeys(List<Received> records) {
        Map<String, List<Long>> firstArrivals = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (Received r : records) {
            if (seen.computeIfAbsent(r.key(), k -> new java.util.HashSet<>()).add(r.id())) {
                firstArrivals.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.sequence());
            }
        }
        List<String> bad = new ArrayList<>();
        firstArrivals.forEach((key, sequences) -> {
            for (int i = 0; i < sequences.size(); i++) {
                if (sequences.get(i) != i + 1) {
                    bad.add(key + " " + sequences);
                    return;
                }
            }
        });
        return bad;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
