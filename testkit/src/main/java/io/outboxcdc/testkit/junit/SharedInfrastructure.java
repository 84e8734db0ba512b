package io.outboxcdc.testkit.junit;

import io.outboxcdc.testkit.infra.FreePorts;
import io.outboxcdc.testkit.infra.KafkaBroker;
import io.outboxcdc.testkit.infra.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One PostgreSQL and one Kafka broker per test JVM, each started on first use (a module that never asks for
 * Kafka never starts it) on free ports and a temporary directory, and stopped when the JVM exits.
 */
final class SharedInfrastructure {

    private static SharedInfrastructure instance;

    private final Path root;
    private PostgresServer postgres;
    private KafkaBroker kafka;

    private SharedInfrastructure(Path root) {
        this.root = root;
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "testkit-shutdown"));
    }

    static synchronized SharedInfrastructure get() {
        if (instance == null) {
            try {
                Path base = Path.of(System.getProperty("testkit.dir", "target/testkit"));
                Files.createDirectories(base);
                instance = new SharedInfrastructure(Files.createTempDirectory(base.toAbsolutePath(), "run-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    synchronized PostgresServer postgres() {
        if (postgres == null) {
            PostgresServer server = new PostgresServer(root.resolve("postgres"), FreePorts.pick());
            Duration took = server.start();
            report("PostgreSQL (wal_level=logical, fsync=on, synchronous_commit=on) started in %d ms on port %d",
                    took.toMillis(), server.port());
            postgres = server;
        }
        return postgres;
    }

    synchronized KafkaBroker kafka() {
        if (kafka == null) {
            KafkaBroker broker = new KafkaBroker(root.resolve("kafka"), FreePorts.pick(), FreePorts.pick());
            Duration took = broker.start();
            report("Kafka broker (KRaft, own process pid %d) started in %d ms on %s", broker.pid(), took.toMillis(),
                    broker.bootstrapServers());
            kafka = broker;
        }
        return kafka;
    }

    private synchronized void shutdown() {
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.stop();
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
