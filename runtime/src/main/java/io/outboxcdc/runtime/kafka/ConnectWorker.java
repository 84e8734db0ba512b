package io.outboxcdc.runtime.kafka;

import io.outboxcdc.runtime.process.ExitWithParentLauncher;
import io.outboxcdc.runtime.process.JavaProcess;
import io.outboxcdc.runtime.process.ProcessSlot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One worker of a distributed Kafka Connect cluster ({@code connect-runtime} with the Debezium PostgreSQL
 * connector and Debezium's transforms, from connect-dist), run as its own OS process so that it can be
 * SIGKILLed; the workers of one {@link Group} share its config, offset and status topics and split the work.
 */
public final class ConnectWorker {

    private static final String CLASSPATH_RESOURCE = "/io/outboxcdc/connect/worker.classpath";
    private static final String MAIN_CLASS = "org.apache.kafka.connect.cli.ConnectDistributed";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * What the workers of one Connect cluster share.
     *
     * @param groupId the workers' group; also the prefix of its three internal topics
     * @param replicationFactor of the internal topics (the broker count, at most 3)
     * @param exactlyOnceSource KIP-618's {@code exactly.once.source.support=enabled}: source tasks write their
     *     records and offsets in one Kafka transaction, and a task's producer is fenced when it moves
     */
    public record Group(String groupId, String bootstrapServers, short replicationFactor, boolean exactlyOnceSource) {

        public String configTopic() {
            return groupId + ".configs";
        }

        public String offsetTopic() {
            return groupId + ".offsets";
        }

        public String statusTopic() {
            return groupId + ".status";
        }
    }

    private final String name;
    private final Path directory;
    private final int restPort;
    private final Group group;
    private final Path logFile;
    private final ProcessSlot process = new ProcessSlot();

    /**
     * @param directory holds {@code worker.properties} and {@code log4j2.properties} (the worker keeps its state in
     *     Kafka, not here)
     * @param restPort the worker's REST API, on 127.0.0.1
     */
    public ConnectWorker(String name, Path directory, int restPort, Group group, Path logFile) {
        this.name = name;
        this.directory = directory.toAbsolutePath();
        this.restPort = restPort;
        this.group = group;
        this.logFile = logFile.toAbsolutePath();
    }

    /** Starts the worker and waits until its REST API answers {@code GET /connectors} (it has joined the group). */
    public synchronized Duration start() {
        if (process.isAlive()) {
            return Duration.ZERO;
        }
        Instant begin = Instant.now();
        try {
            Files.createDirectories(directory);
            Files.writeString(workerProperties(), render(workerSettings()));
            Files.writeString(directory.resolve("log4j2.properties"), LOG4J);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = List.of("-Xms64m", "-Xmx384m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"));
        List<String> main = new ArrayList<>(List.of("-cp", classpath() + java.io.File.pathSeparator
                + ExitWithParentLauncher.classpathEntry(directory), ExitWithParentLauncher.MAIN_CLASS, MAIN_CLASS,
                workerProperties().toString()));
        process.set(JavaProcess.start(name, jvm, main, Map.of(), directory, logFile));
        // -Dtestkit.connect.start-seconds=... for a machine shared by several builds.
        awaitReady(Duration.ofSeconds(Long.getLong("testkit.connect.start-seconds", 120)));
        return Duration.between(begin, Instant.now());
    }

    /** SIGTERM: the worker leaves the group and stops its tasks (their last transaction is committed or aborted). */
    public synchronized void stop() {
        process.terminate(Duration.ofSeconds(60));
    }

    /** SIGKILL: the worker vanishes; the group notices after its session timeout and moves its work. */
    public synchronized void kill() {
        process.kill();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public int restPort() {
        return restPort;
    }

    /** The worker's REST API, e.g. {@code http://127.0.0.1:8083}. */
    public URI restUrl() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    /** How the group's status names this worker ({@code worker_id} in {@code GET /connectors/{name}/status}). */
    public String workerId() {
        return "127.0.0.1:" + restPort;
    }

    public Path logFile() {
        return logFile;
    }

    public Path workerProperties() {
        return directory.resolve("worker.properties");
    }

    public Group group() {
        return group;
    }

    /** The worker's classpath (connect-runtime, Debezium, log4j2; from Maven Central artifacts). */
    public static String classpath() {
        try (InputStream in = ConnectWorker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build connect-dist first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The worker's configuration; every worker of the group has the same but for its REST listener. */
    Map<String, String> workerSettings() {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("bootstrap.servers", group.bootstrapServers());
        w.put("group.id", group.groupId());
        w.put("config.storage.topic", group.configTopic());
        w.put("offset.storage.topic", group.offsetTopic());
        w.put("status.storage.topic", group.statusTopic());
        String replicas = Short.toString(group.replicationFactor());
        w.put("config.storage.replication.factor", replicas);
        w.put("offset.storage.replication.factor", replicas);
        w.put("status.storage.replication.factor", replicas);
        w.put("offset.storage.partitions", "5");
        w.put("status.storage.partitions", "5");
        w.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        w.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        w.put("listeners", "http://127.0.0.1:" + restPort);
        w.put("rest.advertised.host.name", "127.0.0.1");
        w.put("rest.advertised.port", Integer.toString(restPort));
        w.put("exactly.once.source.support", group.exactlyOnceSource() ? "enabled" : "disabled");
        // The plugins are on the worker's classpath and declare themselves in META-INF/services: no scan.
        w.put("plugin.discovery", "service_load");
        // A dead worker's tasks move as soon as the group sees it gone. The default waits up to 5 minutes for it
        // to come back (scheduled.rebalance.max.delay.ms), and the group needs session.timeout.ms to notice.
        w.put("scheduled.rebalance.max.delay.ms", "0");
        w.put("session.timeout.ms", "6000");
        w.put("heartbeat.interval.ms", "2000");
        return w;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(restUrl().resolve("/connectors"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka Connect worker " + name + " exited during start-up (port "
                        + restPort + " taken?); see " + logFile);
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // The REST server is not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
            sleepQuietly();
        }
        throw new IllegalStateException("Kafka Connect worker " + name + " was not ready within " + timeout + "; see "
                + logFile);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(250); // polling the worker's REST API for readiness, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String render(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static final String LOG4J = String.join("\n",
            "status=warn",
            "appender.out.type=Console",
            "appender.out.name=out",
            "appender.out.layout.type=PatternLayout",
            "appender.out.layout.pattern=%d{ISO8601} %-5p [%t] [%c{1}] %m%n",
            "rootLogger.level=INFO",
            "rootLogger.appenderRef.out.ref=out",
            "logger.clients.name=org.apache.kafka.clients",
            "logger.clients.level=WARN",
            "logger.reflections.name=org.reflections",
            "logger.reflections.level=ERROR",
            "");
}
