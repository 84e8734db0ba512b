package io.outboxcdc.testkit.containers;

import io.outboxcdc.runtime.kafka.KafkaInfrastructure;
import io.outboxcdc.runtime.kafka.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A single-node KRaft broker in an {@code apache/kafka} container ({@code apache/kafka:4.1.2}, the clients' version,
 * unless {@code -Dtestkit.kafka.image=...}) with the same broker settings as the embedded one
 * ({@link KafkaSettings}).
 *
 * <p>Two departures from Testcontainers' defaults, both for failure injection. The host port is fixed when the
 * container is created, and the advertised listener names it up front, so a {@code docker start} after a stop or
 * a kill serves the same {@link #bootstrapServers()}. And the container runs the image's own command (which
 * {@code exec}s the broker) instead of Testcontainers' shell wrapper: the broker is PID 1 and gets the SIGTERM of
 * {@code docker stop}, a controlled shutdown, where the wrapper shell would ignore it until the SIGKILL.
 */
public final class DockerKafka implements KafkaInfrastructure {

    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.2";
    private static final int KAFKA_PORT = 9092;
    private static final String DATA = "/var/lib/kafka/data";
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final KafkaContainer container;
    private final String host;
    private final int port;
    private final ManagedContainer managed;

    public DockerKafka(String image, String host, int hostPort) {
        this.host = host;
        this.port = hostPort;
        this.container = new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                .withCommand("/etc/kafka/docker/run")
                // The inter-broker listener (BROKER, 9093 in the container) is only ever used by the broker itself.
                .withEnv("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + host + ":" + hostPort + ",BROKER://localhost:9093")
                .withEnv("KAFKA_LOG_DIRS", DATA);
        KafkaSettings.SINGLE_NODE.forEach((key, value) -> container.withEnv(KafkaSettings.environmentVariable(key), value));
        container.setPortBindings(List.of(hostPort + ":" + KAFKA_PORT));
        this.managed = new ManagedContainer(container, STOP_GRACE);
    }

    public DockerKafka(String image, int hostPort) {
        this(image, ContainerControl.dockerHost(), hostPort);
    }

    /** The container definition, for checks that need no Docker daemon. */
    KafkaContainer container() {
        return container;
    }

    @Override
    public synchronized Duration start() {
        if (isRunning()) {
            return Duration.ZERO;
        }
        Instant begin = Instant.now();
        managed.startOrRestart();
        awaitReady();
        return Duration.between(begin, Instant.now());
    }

    /** {@code docker stop}: SIGTERM to the broker, a controlled shutdown. */
    @Override
    public synchronized void stop() {
        managed.stop();
    }

    /** {@code docker kill}: SIGKILL; what the broker acknowledged is in the container's log dir and survives. */
    @Override
    public synchronized void kill() {
        managed.kill();
    }

    @Override
    public boolean isRunning() {
        return managed.isRunning();
    }

    @Override
    public String bootstrapServers() {
        return host + ":" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return managed.pid();
    }

    /** Removes the container and its data. */
    @Override
    public synchronized void close() {
        managed.remove();
    }

    private void awaitReady() {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                if (!managed.isRunning()) {
                    throw new IllegalStateException("the Kafka container exited during start-up:\n" + managed.logs());
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    DockerPostgres.pause();
                }
            }
        }
        throw new IllegalStateException("the Kafka container did not serve metadata within " + READY_WITHIN);
    }
}
