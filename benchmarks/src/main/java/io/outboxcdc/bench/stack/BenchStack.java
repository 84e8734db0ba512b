package io.outboxcdc.bench.stack;

import io.outboxcdc.contracts.KafkaNames;
import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.system.stack.JvmSettings;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.StackConfig;
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
import java.util.function.LongSupplier;
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
    public static final String RELAY_OFFSETS_TOPIC = KafkaNames.RELAY_OFFSETS_TOPIC;

    private final LocalStack stack;
    private final Consumer<String> out;
    private final String pinSystem;
    private SpringBootService relay;
    /** Processes a scenario started beside the stack (Kafka Connect workers), measured like the stack's own. */
    private final Map<String, LongSupplier> extraParts = new LinkedHashMap<>();

    private BenchStack(LocalStack stack, Consumer<String> out, String pinSystem) {
        this.stack = stack;
        this.out = out;
        this.pinSystem = pinSystem;
        this.relay = stack.relay();
        pinAll();
    }

    /** Fresh ports and a fresh (deleted) data folder. */
    public static StackConfig freshConfig(Path dataDirectory) {
        StackConfig config = new StackConfig(StackConfig.findHome(), dataDirectory.toAbsolutePath(), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
        LocalStack.deleteData(config);
        return config;
    }

    /**
     * Starts everything with {@code config} (its data folder may hold a stack that ran before: a restart).
     *
     * @param pinSystem CPU list (taskset syntax) for every process of the system, or null
     */
    public static BenchStack start(StackConfig config, JvmSettings jvm, String pinSystem, Consumer<String> out) {
        LocalStack stack = new LocalStack(config, out, null, jvm);
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return new BenchStack(stack, out, pinSystem);
    }

    /** When each part was ready during the start (see {@link LocalStack#startupTimes()}). */
    public Map<String, Duration> startupTimes() {
        return stack.startupTimes();
    }

    public LocalStack localStack() {
        return stack;
    }

    /** SIGSTOP: the process keeps its memory, its JIT-compiled code and its connections, and uses no CPU. */
    public void freeze(SpringBootService service) {
        signal(service.pid(), "STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw(SpringBootService service) {
        signal(service.pid(), "CONT");
    }

    private static void signal(long pid, String signal) {
        if (pid <= 0) {
            return;
        }
        run(List.of("kill", "-" + signal, Long.toString(pid)));
    }

    /** Pins every process of the system (all threads, PostgreSQL's backends too) to {@code pinSystem}. */
    public void pinAll() {
        if (pinSystem == null) {
            return;
        }
        for (long pid : pids().values()) {
            if (pid > 0 && pid != ProcessHandle.current().pid()) {
                pinTree(pid, pinSystem);
            }
        }
    }

    /** taskset for a process, all its threads and its descendants (new children inherit the mask). */
    public static void pinTree(long pid, String cpus) {
        run(List.of("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)));
        ProcessHandle.of(pid).ifPresent(h -> h.descendants()
                .forEach(d -> run(List.of("taskset", "-a", "-p", "-c", cpus, Long.toString(d.pid())))));
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        synchronized (extraParts) {
            extraParts.forEach((name, pid) -> pids.put(name, pid.getAsLong()));
        }
        return pids;
    }

    /**
     * Counts a process a scenario started (e.g. a Kafka Connect worker) as a part of the system until
     * {@link #removePart}: in {@link #pids()}, hence in CPU windows, warm-ups, peak memory and the machine-load
     * guard (its CPU is not "others'").
     */
    public void addPart(String name, LongSupplier pid) {
        synchronized (extraParts) {
            extraParts.put(name, pid);
        }
        pinAll();
    }

    public void removePart(String name) {
        synchronized (extraParts) {
            extraParts.remove(name);
        }
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
        JvmSettings jvm = stack.jvmSettings();
        relay = new SpringBootService(name, stack.config().jar("outbox-relay"), stack.config().relayPort(), arguments,
                jvm.flagsFor("outbox-relay"), stack.config().dataDirectory().resolve("work"),
                stack.config().logs().resolve(name + ".log"),
                jvm.classDataSharing() ? stack.classDataCache("outbox-relay") : null);
        awaitSlotInactive();
        relay.start(HEALTHY_WITHIN);
        pinAll();
    }

    /** Back to the relay as the local stack configures it. */
    public void startDefaultRelay() {
        stopRelay();
        relay = stack.relay();
        awaitSlotInactive();
        relay.start(HEALTHY_WITHIN);
        pinAll();
    }

    public void stopRelay() {
        relay.stop();
    }

    /** True when the relay that runs is the one the local stack configures (not a variant with overrides). */
    public boolean runsDefaultRelay() {
        return relay == stack.relay() && relay.isAlive();
    }

    public SpringBootService relay() {
        return relay;
    }

    public void stopBilling() {
        stack.billing().stop();
    }

    public void startBilling() {
        stack.billing().start(HEALTHY_WITHIN);
        pinAll();
    }

    public SpringBootService billingService() {
        return stack.billing();
    }

    public SpringBootService orderApp() {
        return stack.orderApp();
    }

    /** Records on the orders topic not yet committed by billing's group (-1 if unknown). */
    public long billingLag() {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(LocalStack.BILLING_GROUP)
                    .partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (var e : ordersEndOffsets(admin).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Partitions of the orders topic. */
    public int ordersPartitions() {
        try (Admin admin = admin()) {
            return ordersEndOffsets(admin).size();
        } catch (Exception e) {
            throw new IllegalStateException("could not describe " + LocalStack.ORDERS_TOPIC, e);
        }
    }

    /** The end offset of each partition of the orders topic. */
    public static Map<TopicPartition, Long> ordersEndOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        admin.describeTopics(List.of(LocalStack.ORDERS_TOPIC)).allTopicNames().get().get(LocalStack.ORDERS_TOPIC)
                .partitions().forEach(p -> latest.put(new TopicPartition(LocalStack.ORDERS_TOPIC, p.partition()),
                        OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
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
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            ordersEndOffsets(admin).forEach((tp, offset) -> ends.put(tp, new OffsetAndMetadata(offset)));
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

    /** Waits (up to 60 s) until no process reads the replication slot. */
    public void awaitSlotInactive() {
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
