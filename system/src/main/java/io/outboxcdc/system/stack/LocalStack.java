package io.outboxcdc.system.stack;

import io.outboxcdc.contracts.KafkaNames;
import io.outboxcdc.runtime.kafka.KafkaBroker;
import io.outboxcdc.runtime.kafka.KafkaCluster;
import io.outboxcdc.runtime.postgres.DatabaseLayout;
import io.outboxcdc.runtime.postgres.DatabaseProvisioner;
import io.outboxcdc.runtime.postgres.PostgresServer;
import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.runtime.process.SpringBootService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole system on this machine: PostgreSQL (logical decoding), a KRaft Kafka broker, and order-app,
 * outbox-relay and billing-consumer, each a separate OS process started from its jar. Used by the
 * {@code up} command and by the end-to-end and failure-injection tests, which kill and restart its parts.
 */
public final class LocalStack implements AutoCloseable {

    /** The services' defaults (the shared contract), which the stack does not override. */
    public static final String ORDERS_TOPIC = KafkaNames.ORDERS_TOPIC;
    public static final String DEAD_LETTER_TOPIC = KafkaNames.ORDERS_DEAD_LETTER_TOPIC;
    public static final String BILLING_GROUP = KafkaNames.BILLING_GROUP;
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(120);

    private final StackConfig config;
    private final JvmSettings jvm;
    private final Map<String, Duration> startup = new LinkedHashMap<>();
    private final DatabaseLayout layout = DatabaseLayout.standard();
    private final Consumer<String> out;
    private final PostgresServer postgres;
    private final KafkaCluster kafkaCluster;
    /** Node 1 of the cluster: the only broker by default. */
    private final KafkaBroker kafka;
    private final SpringBootService orderApp;
    private final SpringBootService relay;
    private final SpringBootService billing;
    private final List<SpringBootService> extraServices = new ArrayList<>();
    private final String relayKafkaBootstrap;
    /** The relay on Kafka Connect instead of the embedded relay ({@link #runRelayOn}); null: embedded. */
    private ConnectRelay connectRelay;

    public LocalStack(StackConfig config, Consumer<String> out) {
        this(config, out, null);
    }

    /**
     * @param relayKafkaRoute the relay reaches Kafka through something the caller put in between (a test's
     *     network-cut proxy), or null: straight
     */
    public LocalStack(StackConfig config, Consumer<String> out, RelayKafkaRoute relayKafkaRoute) {
        this(config, out, relayKafkaRoute, JvmSettings.defaults());
    }

    /** @param jvm heap, GC and class-data sharing of the three services */
    public LocalStack(StackConfig config, Consumer<String> out, RelayKafkaRoute relayKafkaRoute, JvmSettings jvm) {
        this.config = config;
        this.jvm = jvm;
        this.out = out;
        this.postgres = new PostgresServer(config.dataDirectory().resolve("postgres"), config.postgresPort());
        this.kafkaCluster = new KafkaCluster(config.dataDirectory().resolve("kafka"), config.kafkaPorts(),
                config.kafkaControllerPorts());
        this.kafka = kafkaCluster.broker(1);
        if (relayKafkaRoute != null && kafkaCluster.size() > 1) {
            // The relay would learn the other brokers' direct listeners from the metadata and bypass the proxy.
            throw new IllegalArgumentException("the relay-to-Kafka proxy works with one broker only");
        }
        if (relayKafkaRoute != null) {
            kafka.enableProxiedListener(relayKafkaRoute.brokerPort(), relayKafkaRoute.relayPort());
            this.relayKafkaBootstrap = "127.0.0.1:" + relayKafkaRoute.relayPort();
        } else {
            this.relayKafkaBootstrap = config.kafkaBootstrapServers();
        }
        this.orderApp = service("order-app", "order-app", config.orderAppPort(), orderAppArguments());
        this.relay = relayInstance("outbox-relay", config.relayPort());
        this.billing = billingInstance("billing-consumer", config.billingPort());
    }

    /**
     * Runs the relay's connector on {@code runner} ({@code up --relay=connect}: a Kafka Connect group with the same
     * connector settings, see {@link ConnectRelay}) instead of the embedded relay. Call before {@link #start()}.
     */
    public LocalStack runRelayOn(RelayRunner runner) {
        connectRelay = !runner.onConnect() ? null : new ConnectRelay(config.jar("outbox-relay"), relay.arguments(),
                config.dataDirectory().resolve("connect"), config.logs(), runner.connectPorts(),
                relayKafkaBootstrap, (short) kafkaCluster.replicationFactor(), runner.exactlyOnce(), out);
        return this;
    }

    /** The Kafka Connect group that runs the relay's connector, when the stack runs the relay there. */
    public java.util.Optional<ConnectRelay> connectRelay() {
        return java.util.Optional.ofNullable(connectRelay);
    }

    /** Fails with a clear message naming each fixed port that is already taken. */
    public void checkPortsFree() {
        List<String> taken = new ArrayList<>();
        config.ports().forEach((name, port) -> {
            if (!FreePorts.isFree(port)) {
                taken.add("port " + port + " (--" + name + ") is already in use");
            }
        });
        if (connectRelay != null) {
            connectRelay.workers().forEach(worker -> {
                if (!FreePorts.isFree(worker.restPort())) {
                    taken.add("port " + worker.restPort() + " (--connect-port) is already in use");
                }
            });
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException(String.join("; ", taken)
                    + ". Stop what uses it (is the stack already running? ./outbox-cdc stop) or pick another port, e.g. --"
                    + taken.get(0).replaceAll(".*\\(--([a-z-]+)(?:\\+\\d+)?\\).*", "$1") + "=<port>.");
        }
    }

    /**
     * Starts everything, overlapping what does not depend on each other: Kafka starts while PostgreSQL starts
     * and is provisioned; order-app is launched as soon as its database exists, billing as soon as Kafka is up,
     * the relay as soon as order-app's migrations created the replication slot. Then waits until all are healthy.
     * {@link #startupTimes()} tells when each part was ready.
     */
    public void start() {
        checkPortsFree();
        startup.clear();
        long begin = System.nanoTime();
        CompletableFuture<Duration> broker = CompletableFuture.supplyAsync(kafkaCluster::start);
        try {
            Duration pg = postgres.start();
            out.accept(String.format("PostgreSQL       up in %5d ms  (port %d, data %s)", pg.toMillis(),
                    config.postgresPort(), postgres.dataDirectory()));
            DatabaseProvisioner.provision(postgres, layout);
            startup.put("postgres", since(begin));
            // order-app first: its migrations create the outbox, the publication and the replication slot.
            orderApp.launch();
            Duration brokerTook = broker.join();
            startup.put("kafka", since(begin));
            out.accept(String.format("Kafka (KRaft)    up in %5d ms  (%s, pid %s)", brokerTook.toMillis(),
                    config.kafkaBootstrapServers(), kafkaCluster.brokers().stream()
                            .map(node -> String.valueOf(node.pid())).collect(java.util.stream.Collectors.joining(" "))));
        } catch (RuntimeException e) {
            broker.cancel(false);
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        billing.launch();
        awaitReplicationSlot();
        if (connectRelay == null) {
            relay.launch();
        } else {
            connectRelay.start(HEALTHY_WITHIN);
            startup.put("kafka connect", since(begin));
        }
        for (SpringBootService service : connectRelay == null ? List.of(orderApp, billing, relay)
                : List.of(orderApp, billing)) {
            service.awaitHealthy(HEALTHY_WITHIN);
            startup.put(service.name(), since(begin));
            out.accept(String.format("%-16s up at  %5d ms  (pid %d%s)", service.name(),
                    startup.get(service.name()).toMillis(), service.pid(),
                    service.usesClassDataArchive() ? ", class-data archive" : ""));
        }
        startup.put("all healthy", since(begin));
    }

    /** When each part was ready, from the start of {@link #start()}; "all healthy" = the whole stack. */
    public Map<String, Duration> startupTimes() {
        return new LinkedHashMap<>(startup);
    }

    /** The relay's preflight needs the slot that order-app's migrations create; a fresh stack waits for it. */
    private void awaitReplicationSlot() {
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        String sql = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + layout.replicationSlot() + "'";
        while (System.nanoTime() < deadline) {
            if (!orderApp.isAlive()) {
                throw new IllegalStateException("order-app exited during start-up; see " + orderApp.logFile());
            }
            try (Connection c = postgres.superuserDataSource(layout.ordersDatabase()).getConnection();
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return;
                }
            } catch (SQLException e) {
                // The database is there; a failing check is retried like a missing slot.
            }
            pause(100);
        }
        throw new IllegalStateException("order-app did not create replication slot " + layout.replicationSlot()
                + " within " + HEALTHY_WITHIN + "; see " + orderApp.logFile());
    }

    private static Duration since(long begin) {
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling PostgreSQL for the slot, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A second relay (standby) or billing instance on another port, for failover scenarios. */
    public SpringBootService addRelay(String name, int port) {
        SpringBootService extra = relayInstance(name, port);
        extraServices.add(extra);
        return extra;
    }

    public SpringBootService addBilling(String name, int port) {
        SpringBootService extra = billingInstance(name, port);
        extraServices.add(extra);
        return extra;
    }

    @Override
    public void close() {
        List<SpringBootService> services = new ArrayList<>(extraServices);
        services.addAll(List.of(billing, relay, orderApp));
        for (SpringBootService service : services) {
            try {
                service.stop();
            } catch (RuntimeException e) {
                out.accept("could not stop " + service.name() + ": " + e.getMessage());
            }
        }
        if (connectRelay != null) {
            connectRelay.close();
        }
        kafkaCluster.stop();
        postgres.stop();
    }

    /** Deletes the data folder (databases, topics, logs): the {@code --clean} flag. */
    public static void deleteData(StackConfig config) {
        Path data = config.dataDirectory();
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(data)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + data, e);
        }
    }

    public StackConfig config() {
        return config;
    }

    public DatabaseLayout layout() {
        return layout;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** Node 1 of the Kafka cluster (the only broker by default). */
    public KafkaBroker kafka() {
        return kafka;
    }

    /** Every Kafka node ({@code --brokers}), with the Admin look-ups the cluster's failure scenarios need. */
    public KafkaCluster kafkaCluster() {
        return kafkaCluster;
    }

    public SpringBootService orderApp() {
        return orderApp;
    }

    public SpringBootService relay() {
        return relay;
    }

    public SpringBootService billing() {
        return billing;
    }

    // The services get only what differs from their own defaults: ports and endpoints. Database names, roles and
    // passwords, the slot, the publication, topics and the consumer group are the services' defaults, which equal
    // DatabaseLayout.standard(), DatabaseRole and the contracts module (DockerComposeConsistencyTests checks that).

    private SpringBootService relayInstance(String name, int port) {
        List<String> arguments = new ArrayList<>(List.of(
                // The relay serves only Actuator; both keys name the same port.
                "--server.port=" + port,
                "--management.server.port=" + port,
                "--relay.database.port=" + config.postgresPort(),
                "--relay.kafka.bootstrap-servers=" + relayKafkaBootstrap));
        if (kafkaCluster.size() > 1) {
            // The topics the relay creates: as many copies as the cluster keeps (min.insync.replicas is the brokers').
            arguments.add("--relay.topic-replication-factor=" + kafkaCluster.replicationFactor());
            arguments.add("--relay.offsets.replication-factor=" + kafkaCluster.replicationFactor());
        }
        return service(name, "outbox-relay", port, arguments);
    }

    private SpringBootService billingInstance(String name, int port) {
        return service(name, "billing-consumer", port, List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + config.jdbcUrl(layout.billingDatabase()),
                "--spring.kafka.bootstrap-servers=" + config.kafkaBootstrapServers()));
    }

    private List<String> orderAppArguments() {
        return List.of(
                "--server.port=" + config.orderAppPort(),
                "--spring.datasource.url=" + config.jdbcUrl(layout.ordersDatabase()));
    }

    private SpringBootService service(String name, String module, int port, List<String> arguments) {
        return new SpringBootService(name, config.jar(module), port, arguments, jvm.flagsFor(module),
                config.dataDirectory().resolve("work"), config.logs().resolve(name + ".log"),
                jvm.classDataSharing() ? classDataCache(module) : null);
    }

    /** Next to the jar, so that it survives {@code --clean} and a rebuild (new jar) gets a fresh one. */
    public Path classDataCache(String module) {
        return config.jar(module).getParent().resolve("cds");
    }

    public JvmSettings jvmSettings() {
        return jvm;
    }
}
