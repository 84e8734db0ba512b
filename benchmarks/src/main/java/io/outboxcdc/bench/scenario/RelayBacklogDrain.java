package io.outboxcdc.bench.scenario;

import io.outboxcdc.bench.Bench;
import io.outboxcdc.bench.measure.ProcessStats;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.system.stack.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A backlog relayed by a warm runner of the relay, whichever it is (issue 17: the embedded relay and the relay's
 * connector on Kafka Connect, side by side). The runner is held (the embedded relay frozen, the connector stopped),
 * billing frozen, N valid OrderCreated rows committed (1 000 per transaction, as in {@link Drains}), the runner
 * released; the drain is first → last record read by a {@code read_committed} consumer (with exactly-once, the
 * topic's end offsets also count transaction markers, so end offsets would finish early). CPU of the runner's
 * processes and of the broker from the first record to the last.
 */
final class RelayBacklogDrain {

    /** How a runner is held while the backlog is written, and released to drain it. */
    record Runner(Runnable hold, Runnable release) {
    }

    record Result(int events, double seconds, double eventsPerSecond, double runnerCpuPer1000, double kafkaCpuPer1000,
            boolean complete) {
    }

    private static final Duration DEADLINE = Duration.ofMinutes(3);

    private final Bench bench;

    RelayBacklogDrain(Bench bench) {
        this.bench = bench;
    }

    /**
     * @param runnerParts the stack's part names whose CPU is the runner's (e.g. both Connect workers)
     */
    Result drain(int rows, Runner runner, List<String> runnerParts) {
        BenchStack stack = bench.stack();
        stack.freeze(stack.billingService());
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(stack.kafkaBootstrap())) {
            List<TopicPartition> partitions = consumer.partitionsFor(LocalStack.ORDERS_TOPIC).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolves the end now, before the backlog is written
            runner.hold().run();
            Drains.insert(stack, rows);
            runner.release().run();
            return read(consumer, rows, runnerParts);
        } finally {
            stack.thaw(stack.billingService());
        }
    }

    private Result read(KafkaConsumer<byte[], byte[]> consumer, int rows, List<String> runnerParts) {
        Map<String, Long> pids = bench.stack().pids();
        long received = 0;
        long first = -1;
        long last = -1;
        Map<String, Double> cpuAtFirst = Map.of();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (received < rows && System.nanoTime() < deadline) {
            int count = consumer.poll(Duration.ofMillis(100)).count();
            if (count > 0 && first < 0) {
                first = System.nanoTime();
                cpuAtFirst = cpu(pids, runnerParts);
            }
            received += count;
            if (count > 0) {
                last = System.nanoTime();
            }
        }
        Map<String, Double> cpuAtLast = cpu(pids, runnerParts);
        double seconds = first < 0 ? Double.NaN : (last - first) / 1e9;
        double runnerCpu = 0;
        for (String part : runnerParts) {
            runnerCpu += cpuAtLast.get(part) - cpuAtFirst.getOrDefault(part, Double.NaN);
        }
        double kafkaCpu = cpuAtLast.get("kafka") - cpuAtFirst.getOrDefault("kafka", Double.NaN);
        Bench.log(String.format(Locale.ROOT, "  %d of %d events read in %.2f s", received, rows, seconds));
        return new Result((int) received, seconds, received / seconds, runnerCpu / received * 1000,
                kafkaCpu / received * 1000, received >= rows);
    }

    private static Map<String, Double> cpu(Map<String, Long> pids, List<String> runnerParts) {
        return Stream.concat(runnerParts.stream(), Stream.of("kafka"))
                .collect(Collectors.toMap(part -> part, part -> ProcessStats.cpuSeconds(pids.get(part), false)));
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
