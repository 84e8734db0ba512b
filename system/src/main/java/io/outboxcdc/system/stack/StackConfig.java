package io.outboxcdc.system.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the local stack listens and keeps its state. Defaults are fixed so that URLs in the README work;
 * each is overridable ({@code --postgres-port=...} on the command line or {@code OUTBOXCDC_POSTGRES_PORT}).
 */
public record StackConfig(Path home, Path dataDirectory, int postgresPort, int kafkaPort, int kafkaControllerPort,
        int orderAppPort, int relayPort, int billingPort) {

    public static final Map<String, Integer> DEFAULT_PORTS = defaults();

    private static Map<String, Integer> defaults() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("postgres-port", 15432);
        ports.put("kafka-port", 19092);
        ports.put("kafka-controller-port", 19093);
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
                port("relay-port", options, env), port("billing-port", options, env));
    }

    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("postgres-port", postgresPort);
        ports.put("kafka-port", kafkaPort);
        ports.put("kafka-controller-port", kafkaControllerPort);
        ports.put("order-app-port", orderAppPort);
        ports.put("relay-port", relayPort);
        ports.put("billing-port", billingPort);
        return ports;
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
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
