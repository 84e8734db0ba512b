package io.outboxcdc.testkit.junit;

import io.outboxcdc.runtime.kafka.KafkaBroker;
import io.outboxcdc.runtime.kafka.KafkaInfrastructure;
import io.outboxcdc.runtime.postgres.PostgresInfrastructure;
import io.outboxcdc.runtime.postgres.PostgresServer;
import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.testkit.containers.DockerAvailability;
import io.outboxcdc.testkit.containers.DockerKafka;
import io.outboxcdc.testkit.containers.DockerPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One PostgreSQL and one Kafka broker per test JVM, each started on first use (a module that never asks for
 * Kafka never starts it) on free ports and a temporary directory, and stopped when the JVM exits. They are
 * processes on this machine, or containers when {@link InfrastructureProvider#selected()} says so.
 */
final class SharedInfrastructure {

    private static SharedInfrastructure instance;

    private final Path root;
    private final InfrastructureProvider provider;
    private PostgresInfrastructure postgres;
    private KafkaInfrastructure kafka;

    private SharedInfrastructure(Path root, InfrastructureProvider provider) {
        this.root = root;
        this.provider = provider;
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "testkit-shutdown"));
    }

    static synchronized SharedInfrastructure get() {
        if (instance == null) {
            InfrastructureProvider provider = InfrastructureProvider.selected();
            if (provider == InfrastructureProvider.CONTAINERS) {
                // Before anything else: a missing daemon is one clear error, not a timeout per test class.
                DockerAvailability.require();
            }
            try {
                Path base = Path.of(System.getProperty("testkit.dir", "target/testkit"));
                Files.createDirectories(base);
                instance = new SharedInfrastructure(Files.createTempDirectory(base.toAbsolutePath(), "run-"), provider);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    synchronized PostgresInfrastructure postgres() {
        if (postgres == null) {
            PostgresInfrastructure server = provider == InfrastructureProvider.CONTAINERS
                    ? new DockerPostgres(System.getProperty("testkit.postgres.image", DockerPostgres.DEFAULT_IMAGE),
                            FreePorts.pick())
                    : new PostgresServer(root.resolve("postgres"), FreePorts.pick());
            Duration took = server.start();
            report("PostgreSQL (wal_level=logical, fsync=on, synchronous_commit=on%s) started in %d ms on port %d",
                    provider == InfrastructureProvider.CONTAINERS ? ", container" : "", took.toMillis(), server.port());
            postgres = server;
        }
        return postgres;
    }

    synchronized KafkaInfrastructure kafka() {
        if (kafka == null) {
            KafkaInfrastructure broker = provider == InfrastructureProvider.CONTAINERS
                    ? new DockerKafka(System.getProperty("testkit.kafka.image", DockerKafka.DEFAULT_IMAGE),
                            FreePorts.pick())
                    : new KafkaBroker(root.resolve("kafka"), FreePorts.pick(), FreePorts.pick());
            Duration took = broker.start();
            report("Kafka broker (KRaft, %s pid %d) started in %d ms on %s",
                    provider == InfrastructureProvider.CONTAINERS ? "container" : "own process", broker.pid(),
                    took.toMillis(), broker.bootstrapServers());
            kafka = broker;
        }
        return kafka;
    }

    private synchronized void shutdown() {
        // close(): stops a process; removes a container with its data.
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        deleteQuietly(root);
    }

    static void report(String format, Object... args) {
        String line = "[testkit] " + String.format(format, args);
        System.out.println(line);
    }

    private static void deleteQuietly(Path dir) {
        if (Boolean.getBoolean("testkit.keep")) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort: target/ is cleaned by the build anyway.
        }
    }
}
