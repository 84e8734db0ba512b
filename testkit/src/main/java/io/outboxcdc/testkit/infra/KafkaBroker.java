package io.outboxcdc.testkit.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker + controller, no ZooKeeper), run as its own OS
 * process from the {@code kafka_2.13} artifact, so that it can be SIGKILLed and started again on the same
 * log directory.
 */
public final class KafkaBroker implements KafkaInfrastructure {

    private static final String CLASSPATH_RESOURCE = "/io/outboxcdc/kafka/broker.classpath";
    private static final String LAUNCHER = ExitWithParentLauncher.MAIN_CLASS;

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final String maxHeap;
    private volatile JavaProcess process;
    private int proxiedListenerPort = -1;
    private int proxiedAdvertisedPort = -1;

    /**
     * @param directory holds {@code server.properties}, the log dirs ({@code data/}) and {@code broker.log}
     */
    public KafkaBroker(Path directory, int port, int controllerPort, String maxHeap) {
        this.directory = directory.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.maxHeap = maxHeap;
    }

    public KafkaBroker(Path directory, int port, int controllerPort) {
        this(directory, port, controllerPort, "512m");
    }

    /**
     * Adds a second listener on {@code listenerPort} that advertises {@code advertisedPort}: clients that
     * bootstrap through a proxy on the advertised port keep talking through it (a network cut between one
     * client and the broker, see FaultyProxy). Takes effect at the next start.
     */
    public synchronized void enableProxiedListener(int listenerPort, int advertisedPort) {
        this.proxiedListenerPort = listenerPort;
        this.proxiedAdvertisedPort = advertisedPort;
    }

    /** Formats the log directory on first use, starts the broker and waits until it serves metadata. */
    public synchronized Duration start() {
        if (process != null && process.isAlive()) {
            return Duration.ZERO;
        }
        Instant begin = Instant.now();
        try {
            Files.createDirectories(directory);
            writeConfiguration();
            if (!Files.exists(logDirectory().resolve("meta.properties"))) {
                format();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = launch("kafka-broker", "kafka.Kafka", List.of(serverProperties().toString()));
        // 90 s; -Dtestkit.kafka.start-seconds=... for a machine shared by several builds (seen: 75 s at load 28).
        awaitReady(Duration.ofSeconds(Long.getLong("testkit.kafka.start-seconds", 90)));
        return Duration.between(begin, Instant.now());
    }

    /** SIGTERM: a controlled shutdown that flushes and closes the logs. */
    public synchronized void stop() {
        JavaProcess running = process;
        process = null;
        if (running != null && running.isAlive()) {
            running.terminate(Duration.ofSeconds(60));
        }
    }

    /** SIGKILL: the broker dies at once; what it acknowledged is on disk (page cache) and survives. */
    public synchronized void kill() {
        JavaProcess running = process;
        process = null;
        if (running != null) {
            running.kill();
        }
    }

    public boolean isRunning() {
        JavaProcess running = process;
        return running != null && running.isAlive();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    public Path logFile() {
        return directory.resolve("broker.log");
    }

    public Path logDirectory() {
        return directory.resolve("data");
    }

    public Path serverProperties() {
        return directory.resolve("server.properties");
    }

    public long pid() {
        JavaProcess running = process;
        return running == null ? -1 : running.pid();
    }

    /** The broker's classpath (from Maven Central artifacts), e.g. to run Kafka's command-line tools. */
    public static String classpath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build kafka-broker-dist first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format() throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        JavaProcess formatter = launch("kafka-storage-format", "kafka.tools.StorageTool",
                List.of("format", "-t", clusterId, "-c", serverProperties().toString(), "--ignore-formatted"));
        if (!formatter.waitFor(Duration.ofSeconds(120)) || formatter.exitCode() != 0) {
            formatter.kill();
            throw new IllegalStateException("formatting the Kafka log dir failed; see " + logFile());
        }
    }

    private JavaProcess launch(String name, String mainClass, List<String> args) {
        List<String> jvm = List.of("-Xms128m", "-Xmx" + maxHeap, "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"));
        List<String> main = new java.util.ArrayList<>(List.of("-cp", classpath() + java.io.File.pathSeparator
                + ExitWithParentLauncher.classpathEntry(directory), LAUNCHER, mainClass));
        main.addAll(args);
        return JavaProcess.start(name, jvm, main, Map.of(), directory, logFile());
    }

    private void awaitReady(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited during start-up (port " + port
                            + " taken?); see " + logFile());
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // The broker is still starting.
                }
            }
        }
        throw new IllegalStateException("the Kafka broker was not ready within " + timeout + "; see " + logFile());
    }

    private void writeConfiguration() throws IOException {
        boolean proxied = proxiedListenerPort > 0;
        String server = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                        + (proxied ? ",PROXIED://127.0.0.1:" + proxiedListenerPort : ""),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port
                        + (proxied ? ",PROXIED://127.0.0.1:" + proxiedAdvertisedPort : ""),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (proxied ? ",PROXIED:PLAINTEXT" : ""),
                "log.dirs=" + logDirectory(),
                "num.partitions=3",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // A restart after SIGKILL otherwise waits out the default session timeout (~15 s here).
                "broker.session.timeout.ms=2000",
                "broker.heartbeat.interval.ms=500",
                "auto.create.topics.enable=true",
                "");
        Files.writeString(serverProperties(), server);
        String log4j = String.join("\n",
                "status=warn",
                "appender.out.type=Console",
                "appender.out.name=out",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=%d{ISO8601} %-5p [%c{1}] %m%n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=out",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                "logger.apache.name=org.apache.kafka",
                "logger.apache.level=WARN",
                "");
        Files.writeString(directory.resolve("log4j2.properties"), log4j);
    }

    public void close() {
        stop();
    }
}
