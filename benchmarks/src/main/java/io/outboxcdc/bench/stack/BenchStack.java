package io.outboxcdc.bench.stack;

import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.testkit.infra.FreePorts;
import io.outboxcdc.testkit.infra.SpringBootService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The system under benchmark: {@link LocalStack} (every part a process) on free ports in a fresh data folder,
 * plus what the scenarios need around it: the relay restarted with other settings, relay and billing stopped
 * and started, the replication slot moved past rows no scenario wants relayed, billing's offsets moved to the end.
 */
public final class BenchStack implements AutoCloseable {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(180);
    /** relay.offsets.topic as the local stack runs the relay (its default). */
    public static final String RELAY_OFFSETS_TOPIC = "outbox-relay.offsets";

    private final LocalStack stack;
    private final Consumer<String> out;
    private SpringBootService relay;

    private BenchStack(LocalStack stack, Consumer<String> out) {
        this.stack = stack;
        this.out = out;
        this.relay = stack.relay();
    }

    /** Deletes {@code dataDirectory} and starts everything there on free ports. */
    public static BenchStack start(Path dataDirectory, Consumer<String> out) {
        StackConfig config = new StackConfig(StackConfig.findHome(), dataDirectory.toAbsolutePath(), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
        LocalStack.deleteData(config);
        LocalStack stack = new LocalStack(config, out);
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return new BenchStack(stack, out);
    }

    public StackConfig config() {
        return stack.config();
    }

    public String kafkaBootstrap() {
        return stack.config().kafkaBootstrapServers();
    }

    public DataSource orders() {
        return stack.postgres().superuserDataSource(stack.layout().ordersDatabase());
    }

    public DataSource billing() {
        return stack.postgres().superuserDataSource(stack.layout().billingDatabase());
    }

    public String ordersJdbcUrl() {
        return stack.config().jdbcUrl(stack.layout().ordersDatabase());
    }

    public String slotName() {
        return stack.layout().replicationSlot();
    }

    /** Process ids by part, for CPU and memory sampling. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("order-app", stack.orderApp().pid());
        pids.put("outbox-relay", relay.isAlive() ? relay.pid() : -1L);
        pids.put("billing-consumer", stack.billing().isAlive() ? stack.billing().pid() : -1L);
        pids.put("kafka", stack.kafka().pid());
        pids.put("postgres", stack.postgres().pid());
        pids.put("benchmark", ProcessHandle.current().pid());
        return pids;
    }

    public String billingPrometheus() {
        return "http://127.0.0.1:" + stack.config().billingPort() + "/actuator/prometheus";
    }

    public String relayPrometheus() {
        return "http://127.0.0.1:" + stack.config().relayPort() + "/actuator/prometheus";
    }

    /** Replaces the running relay by one started with {@code overrides} (Spring property → value). */
    public void restartRelayWith(Map<String, String> overrides) {
        stopRelay();
        Map<String, String> args = new LinkedHashMap<>();
        for (String argument : stack.relay().arguments()) {
            int eq = argument.indexOf('=');
            args.put(argument.substring(2, eq), argument.substring(eq + 1));
        }
        args.putAll(overrides);
        List<String> arguments = new ArrayList<>();
        args.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        String name = "outbox-relay-variant";
        relay = new SpringBootService(name, stack.config().jar("outbox-relay"), stack.config().relayPort(), arguments,
                List.of("-Xmx512m"), stack.config().dataDirectory().resolve("work"),
                stack.config().logs().resolve(name + ".log"));
        awaitSlotInactive();
        relay.start(HEALTHY_WITHIN);
    }

    /** Back to the relay as the local stack configures it. */
    public void startDefaultRelay() {
        stopRelay();
        relay = stack.relay();
        awaitSlotInactive();
        relay.start(HEALTHY_WITHIN);
    }

    public void stopRelay() {
        relay.stop();
    }

    public SpringBootService relay() {
        return relay;
    }

    public void stopBilling() {
        stack.billing().stop();
    }

    public void startBilling() {
        stack.billing().start(HEALTHY_WITHIN);
    }

    public boolean billingRunning() {
        return stack.billing().isAlive();
    }

    /**
     * With the relay stopped: moves the slot to the current WAL position so that what was committed meanwhile
     * (load of a scenario that measured something else) is never relayed, and deletes the relay's stored
     * offsets (Debezium refuses to start from an offset the slot no longer has; without offsets it streams from
     * the slot's position). Benchmark-only: in production this loses events.
     */
    public void skipUnrelayedWal() {
        awaitSlotInactive();
        execute(orders(), "SELECT pg_replication_slot_advance('" + slotName() + "', pg_current_wal_lsn())");
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(RELAY_OFFSETS_TOPIC)) {
                return; // deleted before, and no relay ran since
            }
            admin.deleteTopics(List.of(RELAY_OFFSETS_TOPIC)).all().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (admin.listTopics().names().get().contains(RELAY_OFFSETS_TOPIC) && System.nanoTime() < deadline) {
                Pause.millis(200);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not delete the relay's offsets", e);
        }
    }

    /** With billing stopped: its group continues at the end of the topic (a backlog no scenario waits for). */
    public void moveBillingToEnd() {
        try (Admin admin = admin()) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(LocalStack.ORDERS_TOPIC)).allTopicNames().get()
                    .get(LocalStack.ORDERS_TOPIC).partitions().stream()
                    .map(p -> new TopicPartition(LocalStack.ORDERS_TOPIC, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    admin.alterConsumerGroupOffsets(LocalStack.BILLING_GROUP, ends).all().get();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    // The group still has members for a moment after the consumer left.
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Pause.millis(500);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not move billing's offsets to the end", e);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
        return Admin.create(props);
    }

    private void awaitSlotInactive() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Long active = queryLong(orders(), "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                    + slotName() + "' AND active");
            if (active == 0) {
                return;
            }
            Pause.millis(200);
        }
        throw new IllegalStateException("slot " + slotName() + " is still in use");
    }

    public static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public static Long queryLong(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (relay != stack.relay()) {
            relay.stop();
        }
        stack.close();
        out.accept("stack stopped");
    }
}
