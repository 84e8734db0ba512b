package io.outboxcdc.system.stack;

import io.outboxcdc.contracts.LocalPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the local stack listens and keeps its state. Defaults are fixed so that URLs in the README work;
 * each is overridable ({@code --postgres-port=...} on the command line or {@code OUTBOXCDC_POSTGRES_PORT}).
 *
 * @param kafkaBrokers 1 (the default) or 3 ({@code --brokers=3}): Kafka node {@code n} listens on
 *     {@code kafkaPort + 10(n-1)}, its controller on {@code kafkaControllerPort + 10(n-1)}
 */
public record StackConfig(Path home, Path dataDirectory, int postgresPort, int kafkaPort, int kafkaControllerPort,
        int orderAppPort, int relayPort, int billingPort, int kafkaBrokers) {

    public static final Map<String, Integer> DEFAULT_PORTS = defaults();
    /** The cluster sizes the project runs and tests. */
    public static final List<Integer> BROKER_COUNTS = List.of(1, 3);
    /** Ports of Kafka node n are node 1's plus this times (n-1). */
    public static final int BROKER_PORT_STEP = 10;

    public StackConfig {
        if (!BROKER_COUNTS.contains(kafkaBrokers)) {
            throw new IllegalArgumentException("--brokers must be 1 or 3, got " + kafkaBrokers);
        }
        // The parameters, not ports(): the fields are assigned after this body.
        List<Integer> all = new java.util.ArrayList<>(List.of(postgresPort, orderAppPort, relayPort, billingPort));
        for (int node = 0; node < kafkaBrokers; node++) {
            all.add(kafkaPort + node * BROKER_PORT_STEP);
            all.add(kafkaControllerPort + node * BROKER_PORT_STEP);
        }
        if (new java.util.HashSet<>(all).size() < all.size()) {
            throw new IllegalArgumentException("two parts of the stack would listen on one port: " + all);
        }
    }

    /** A stack with one Kafka broker. */
    public StackConfig(Path home, Path dataDirectory, int postgresPort, int kafkaPort, int kafkaControllerPort,
            int orderAppPort, int relayPort, int billingPort) {
        this(home, dataDirectory, postgresPort, kafkaPort, kafkaControllerPort, orderAppPort, relayPort, billingPort,
                1);
    }

    private static Map<String, Integer> defaults() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("postgres-port", LocalPorts.POSTGRES);
        ports.put("kafka-port", LocalPorts.KAFKA);
        ports.put("kafka-controller-port", LocalPorts.KAFKA_CONTROLLER);
        ports.put("order-app-port", 8080);
        ports.put("relay-port", 8081);
        ports.put("billing-port", 8082);
        return ports;
    }

    /** Options from {@code --name=value} arguments, then {@code OUTBOXCDC_NAME} variables, then defaults. */
    public static StackConfig from(Map<String, String> options, Map<String, String> env) {
        Path home = Path.of(option("home", options, env, findHome().toString())).toAbsolutePath();
        Path data = Path.of(option("data-dir", options, env, home.resolve(".outbox-cdc").toString())).toAbsolutePath();
        return new StackConfig(home, data,
                port("postgres-port", options, env), port("kafka-port", options, env),
                port("kafka-controller-port", options, env), port("order-app-port", options, env),
                port("relay-port", options, env), port("billing-port", options, env), brokers(options, env));
    }

    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("postgres-port", postgresPort);
        ports.put("kafka-port", kafkaPort);
        ports.put("kafka-controller-port", kafkaControllerPort);
        ports.put("order-app-port", orderAppPort);
        ports.put("relay-port", relayPort);
        ports.put("billing-port", billingPort);
        for (int node = 2; node <= kafkaBrokers; node++) {
            int offset = (node - 1) * BROKER_PORT_STEP;
            ports.put("kafka-port+" + offset, kafkaPort + offset);
            ports.put("kafka-controller-port+" + offset, kafkaControllerPort + offset);
        }
        return ports;
    }

    /** The client port of Kafka node 1..n. */
    public List<Integer> kafkaPorts() {
        return nodePorts(kafkaPort);
    }

    /** The controller port of Kafka node 1..n. */
    public List<Integer> kafkaControllerPorts() {
        return nodePorts(kafkaControllerPort);
    }

    /** Every broker, so that clients keep working while one of several is down. */
    public String kafkaBootstrapServers() {
        return kafkaPorts().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    private List<Integer> nodePorts(int first) {
        return IntStream.range(0, kafkaBrokers).mapToObj(i -> first + i * BROKER_PORT_STEP).toList();
    }

    public String orderAppUrl() {
        return "http://localhost:" + orderAppPort;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + database;
    }

    public Path jar(String module) {
        return home.resolve(module).resolve("target").resolve(module + ".jar");
    }

    public Path logs() {
        return dataDirectory.resolve("logs");
    }

    private static int port(String name, Map<String, String> options, Map<String, String> env) {
        String value = option(name, options, env, String.valueOf(DEFAULT_PORTS.get(name)));
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a port number (1-65535), got '" + value + "'");
        }
    }

    private static int brokers(Map<String, String> options, Map<String, String> env) {
        String value = option("brokers", options, env, "1");
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--brokers must be 1 or 3, got '" + value + "'");
        }
    }

    static String option(String name, Map<String, String> options, Map<String, String> env, String fallback) {
        if (options.containsKey(name)) {
            return options.get(name);
        }
        String variable = "OUTBOXCDC_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return env.getOrDefault(variable, fallback);
    }

    /** The checkout: the first directory upwards from here that holds the modules' sources. */
    public static Path findHome() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("db").resolve("migrations")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        return Path.of("").toAbsolutePath();
    }
}
