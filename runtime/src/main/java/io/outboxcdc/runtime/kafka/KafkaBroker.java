package io.outboxcdc.runtime.kafka;

import io.outboxcdc.runtime.process.ExitWithParentLauncher;
import io.outboxcdc.runtime.process.JavaProcess;
import io.outboxcdc.runtime.process.ProcessSlot;
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
 * log directory. On its own it is a one-node cluster; {@link KafkaCluster} runs several as one cluster.
 */
public final class KafkaBroker implements KafkaInfrastructure {

    private static final String CLASSPATH_RESOURCE = "/io/outboxcdc/kafka/broker.classpath";
    private static final String LAUNCHER = ExitWithParentLauncher.MAIN_CLASS;

    private final Path directory;
    private final int nodeId;
    private final int port;
    private final int controllerPort;
    private final String quorumVoters;
    private final int clusterSize;
    /** Shared by every node of a cluster; null: a new one when the log directory is formatted. */
    private final String clusterId;
    private final String maxHeap;
    private final ProcessSlot process = new ProcessSlot();
    private int proxiedListenerPort = -1;
    private int proxiedAdvertisedPort = -1;

    /**
     * @param directory holds {@code server.properties}, the log dirs ({@code data/}) and {@code broker.log}
     */
    public KafkaBroker(Path directory, int port, int controllerPort, String maxHeap) {
        this(directory, 1, port, controllerPort, KafkaSettings.quorumVoters(List.of(controllerPort)), 1, null,
                maxHeap);
    }

    /** Node {@code nodeId} of a cluster of {@code clusterSize} combined nodes (see {@link KafkaCluster}). */
    KafkaBroker(Path directory, int nodeId, int port, int controllerPort, String quorumVoters, int clusterSize,
            String clusterId, String maxHeap) {
        this.directory = directory.toAbsolutePath();
        this.nodeId = nodeId;
        this.port = port;
        this.controllerPort = controllerPort;
        this.quorumVoters = quorumVoters;
        this.clusterSize = clusterSize;
        this.clusterId = clusterId;
        this.maxHeap = maxHeap;
    }

    public KafkaBroker(Path directory, int port, int controllerPort) {
        this(directory, port, controllerPort, "512m");
    }

    /**
     * Adds a second listener on {@code listenerPort} that advertises {@code advertisedPort}: clients that
     * bootstrap through a proxy on the advertised port keep talking through it (a network cut between one
     * client and the broker, see testkit's FaultyProxy). Takes effect at the next start.
     */
    public synchronized void enableProxiedListener(int listenerPort, int advertisedPort) {
        this.proxiedListenerPort = listenerPort;
        this.proxiedAdvertisedPort = advertisedPort;
    }

    /** Formats the log directory on first use, starts the broker and waits until it serves metadata. */
    public synchronized Duration start() {
        if (process.isAlive()) {
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
        process.set(launch("kafka-broker", "kafka.Kafka", List.of(serverProperties().toString())));
        // 90 s; -Dtestkit.kafka.start-seconds=... for a machine shared by several builds (seen: 75 s at load 28).
        awaitReady(Duration.ofSeconds(Long.getLong("testkit.kafka.start-seconds", 90)));
        return Duration.between(begin, Instant.now());
    }

    /** SIGTERM: a controlled shutdown that flushes and closes the logs. */
    public synchronized void stop() {
        process.terminate(Duration.ofSeconds(60));
    }

    /** SIGKILL: the broker dies at once; what it acknowledged is on disk (page cache) and survives. */
    public synchronized void kill() {
        process.kill();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code node.id}: 1 for a single broker, 1..n in a {@link KafkaCluster}. */
    public int nodeId() {
        return nodeId;
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
        return process.pid();
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
        String id = clusterId != null ? clusterId : Uuid.randomUuid().toString();
        JavaProcess formatter = launch("kafka-storage-format", "kafka.tools.StorageTool",
                List.of("format", "-t", id, "-c", serverProperties().toString(), "--ignore-formatted"));
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
                    // Ready once the cluster lists this node: registered with the controller and unfenced.
                    if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream()
                            .anyMatch(node -> node.id() == nodeId)) {
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
        List<String> lines = new java.util.ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + quorumVoters,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                        + (proxied ? ",PROXIED://127.0.0.1:" + proxiedListenerPort : ""),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port
                        + (proxied ? ",PROXIED://127.0.0.1:" + proxiedAdvertisedPort : ""),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (proxied ? ",PROXIED:PLAINTEXT" : ""),
                "log.dirs=" + logDirectory()));
        KafkaSettings.forCluster(clusterSize).forEach((key, value) -> lines.add(key + "=" + value));
        lines.add("");
        Files.writeString(serverProperties(), String.join("\n", lines));
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
