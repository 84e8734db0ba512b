package io.outboxcdc.system.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.contracts.KafkaNames;
import io.outboxcdc.contracts.LocalPorts;
import io.outboxcdc.runtime.kafka.KafkaSettings;
import io.outboxcdc.runtime.postgres.DatabaseLayout;
import io.outboxcdc.runtime.postgres.DatabaseRole;
import io.outboxcdc.runtime.postgres.PostgresServer;
import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.testkit.containers.DockerPostgres;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 9: docker-compose.yml is checked against the code, so that it cannot drift from it. No Docker needed: the
 * file is read as YAML, and each service's configuration — the properties it reads and their defaults — comes from
 * the configuration metadata in its jar and its application.yml ({@link ServiceConfiguration}). Issue 19: each
 * default lives once, so neither the file nor {@link LocalStack} may repeat one; instead the defaults are checked to
 * be the local layout (the roles, databases, slot and publication the stack and init.sql create).
 */
class DockerComposeConsistencyTests {

    private static final Path HOME = StackConfig.findHome();
    private static final Map<String, Object> COMPOSE = load(HOME.resolve("docker-compose.yml"));
    private static final LocalStack LOCAL_STACK = new LocalStack(StackConfig.from(Map.of(), Map.of()), line -> { });
    private static final String KAFKA_SERVICE = "kafka";
    private static final String POSTGRES_SERVICE = "postgres";
    /** Host ports are published on loopback only: PostgreSQL trusts its clients, as in the local stack. */
    private static final String LOOPBACK = "127.0.0.1:";
    /** The server ports the local stack chooses (--order-app-port ...): always passed, whatever their value. */
    private static final Set<String> LOCAL_STACK_PORTS = Set.of("server.port", "management.server.port");

    /** The three services, their module, their launcher in the local stack and their port option there. */
    enum App {
        ORDER_APP("order-app", LocalStack::orderApp, "order-app-port"),
        OUTBOX_RELAY("outbox-relay", LocalStack::relay, "relay-port"),
        BILLING_CONSUMER("billing-consumer", LocalStack::billing, "billing-port");

        final String module;
        final Function<LocalStack, SpringBootService> launcher;
        final String portOption;

        App(String module, Function<LocalStack, SpringBootService> launcher, String portOption) {
            this.module = module;
            this.launcher = launcher;
            this.portOption = portOption;
        }

        String service() {
            return module;
        }
    }


    @Test
    void composeDefinesTheWholeSystem() {
        assertThat(map(COMPOSE.get("services"))).containsOnlyKeys(POSTGRES_SERVICE, KAFKA_SERVICE, "order-app",
                "outbox-relay", "billing-consumer");
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void everyEnvironmentKeyIsAConfigurationPropertyTheAppReads(App app) {
        List<String> unknown = new ArrayList<>();
        composeProperties(app).keySet().forEach(property -> {
            if (!configuration(app).reads(property)) {
                unknown.add(property);
            }
        });
        assertThat(unknown).as("%s: environment keys in docker-compose.yml that %s does not read", app.service(),
                app.module).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void neitherComposeNorTheLocalStackRepeatsADefault(App app) {
        ServiceConfiguration configuration = configuration(app);
        Map<String, String> repeated = new TreeMap<>();
        composeProperties(app).forEach((key, value) -> {
            if (!isEndpoint(key) && configuration.defaultValue(key).filter(value::equals).isPresent()) {
                repeated.put("docker-compose.yml " + key, value);
            }
        });
        localStackProperties(app).forEach((key, value) -> {
            if (!isEndpoint(key) && !LOCAL_STACK_PORTS.contains(key)
                    && configuration.defaultValue(key).filter(value::equals).isPresent()) {
                repeated.put("LocalStack " + key, value);
            }
        });
        assertThat(repeated).as("%s: values equal to the service's own default (application.yml or its properties"
                + " record): drop them", app.service()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void composeAndTheLocalStackPointTheServiceAtTheSameDependencies(App app) {
        Set<String> compose = canonicalKeys(composeProperties(app).keySet());
        Set<String> local = canonicalKeys(localStackProperties(app).keySet());
        local.removeAll(LOCAL_STACK_PORTS);
        assertThat(compose).as("%s: docker-compose.yml sets every key the local stack passes", app.service())
                .containsAll(local);
        compose.removeAll(local);
        // Inside the network a dependency has a host name of its own; the Docker image's superuser has a password.
        assertThat(compose).as("%s: keys only docker-compose.yml sets", app.service())
                .allMatch(key -> key.endsWith(".host") || key.equals("spring.flyway.password"));
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void theServicesDefaultsAreTheLocalLayout(App app) {
        ServiceConfiguration configuration = configuration(app);
        layoutDefaults(app).forEach((key, value) -> assertThat(configuration.defaultValue(key))
                .as("%s: default of %s", app.module, key).hasValue(value));
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void portsMatchTheServersPort(App app) {
        int serverPort = Integer.parseInt(environment(app.service()).getOrDefault("SERVER_PORT",
                configuration(app).defaultValue("server.port").orElseThrow()));
        int localStackPort = StackConfig.DEFAULT_PORTS.get(app.portOption);

        assertThat(serverPort).as("%s: server.port in application.yml is the local stack's port", app.module)
                .isEqualTo(localStackPort);
        assertThat(portMappings(app.service())).as("%s: ports (the local stack's port on the host)", app.service())
                .containsExactly(LOOPBACK + localStackPort + ":" + serverPort);
    }

    @Test
    void theAppsAreGivenTheBrokersAdvertisedListener() {
        Map<String, String> kafka = environment(KAFKA_SERVICE);
        Map<String, String> advertised = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
        Map<String, String> bound = listeners(kafka.get("KAFKA_LISTENERS"));
        Set<String> protocols = listeners(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").replace(":", "://"))
                .keySet();
        advertised.forEach((name, address) -> {
            assertThat(bound).as("KAFKA_LISTENERS has the advertised listener %s", name).containsKey(name);
            assertThat(port(bound.get(name))).as("listener %s: bound and advertised port", name)
                    .isEqualTo(port(address));
            assertThat(protocols).as("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").contains(name);
        });

        int bootstrapKeys = 0;
        for (App app : App.values()) {
            for (Map.Entry<String, String> entry : environment(app.service()).entrySet()) {
                if (entry.getKey().endsWith("BOOTSTRAP_SERVERS")) {
                    bootstrapKeys++;
                    for (String server : entry.getValue().split(",")) {
                        assertThat(advertised.values()).as("%s %s is an advertised listener", app.service(),
                                entry.getKey()).contains(server.trim());
                        assertThat(server.trim()).as("reachable inside the Compose network")
                                .startsWith(KAFKA_SERVICE + ":");
                    }
                }
            }
        }
        assertThat(bootstrapKeys).as("relay and billing are given the broker").isEqualTo(2);

        // Tools on the host reach the broker where the local stack's broker listens.
        int hostPort = StackConfig.DEFAULT_PORTS.get("kafka-port");
        assertThat(advertised.values()).contains("localhost:" + hostPort);
        assertThat(portMappings(KAFKA_SERVICE)).containsExactly(LOOPBACK + hostPort + ":" + port(bound.get(
                advertised.entrySet().stream().filter(e -> e.getValue().equals("localhost:" + hostPort))
                        .findFirst().orElseThrow().getKey())));
    }

    @Test
    void kafkaIsASingleKraftNodeWithTheTestKitsBrokerSettings() {
        Map<String, String> kafka = environment(KAFKA_SERVICE);
        assertThat(image(KAFKA_SERVICE)).startsWith("apache/kafka:");
        assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller").doesNotContainKey(
                "KAFKA_ZOOKEEPER_CONNECT");
        assertThat(Uuid.fromString(kafka.get("CLUSTER_ID"))).as("CLUSTER_ID is a Kafka UUID").isNotNull();
        KafkaSettings.SINGLE_NODE.forEach((property, value) ->
                assertThat(kafka).containsEntry(KafkaSettings.environmentVariable(property), value));
        assertThat(volumes(KAFKA_SERVICE)).anyMatch(v -> v.endsWith(":" + kafka.get("KAFKA_LOG_DIRS")));
    }

    @Test
    void postgresStartsWithLogicalDecodingAndTheTestKitsSettings() {
        Object command = service(POSTGRES_SERVICE).get("command");
        assertThat(command).isInstanceOf(List.class);
        List<String> parts = ((List<?>) command).stream().map(String::valueOf).toList();
        assertThat(parts).containsSequence("-c", "wal_level=logical");
        assertThat(parts).as("same server settings as the embedded and the Testcontainers PostgreSQL")
                .isEqualTo(DockerPostgres.command());
        assertThat(image(POSTGRES_SERVICE)).startsWith("postgres:17");
        assertThat(portMappings(POSTGRES_SERVICE))
                .containsExactly(LOOPBACK + StackConfig.DEFAULT_PORTS.get("postgres-port") + ":5432");
        assertThat(volumes(POSTGRES_SERVICE)).anyMatch(v -> v.endsWith(":/var/lib/postgresql/data"))
                .anyMatch(v -> v.startsWith("./docker/postgres/init.sql:/docker-entrypoint-initdb.d/"));

        DatabaseLayout layout = DatabaseLayout.standard();
        assertThat(environment("order-app")).containsEntry("SPRING_DATASOURCE_URL",
                "jdbc:postgresql://" + POSTGRES_SERVICE + ":5432/" + layout.ordersDatabase());
        assertThat(environment("billing-consumer")).containsEntry("SPRING_DATASOURCE_URL",
                "jdbc:postgresql://" + POSTGRES_SERVICE + ":5432/" + layout.billingDatabase());
        assertThat(environment("outbox-relay")).containsEntry("RELAY_DATABASE_HOST", POSTGRES_SERVICE)
                .containsEntry("RELAY_DATABASE_PORT", "5432");
    }

    @Test
    void initSqlCreatesTheTestKitsRolesAndDatabases() throws IOException {
        String sql = Files.readString(HOME.resolve("docker/postgres/init.sql"));
        for (DatabaseRole role : List.of(DatabaseRole.ORDER_APP, DatabaseRole.BILLING_APP, DatabaseRole.RELAY)) {
            Matcher m = Pattern.compile("CREATE ROLE " + role.name() + " LOGIN( REPLICATION)? PASSWORD '([^']*)';")
                    .matcher(sql);
            assertThat(m.find()).as("init.sql creates role %s", role.name()).isTrue();
            assertThat(m.group(1) != null).as("%s has REPLICATION", role.name()).isEqualTo(role.replication());
            assertThat(m.group(2)).as("%s password", role.name()).isEqualTo(role.password());
        }
        DatabaseLayout layout = DatabaseLayout.standard();
        assertThat(sql).contains("CREATE DATABASE " + layout.ordersDatabase() + ";")
                .contains("CREATE DATABASE " + layout.billingDatabase() + ";");
    }

    @Test
    void servicesStartInOrderOnceWhatTheyNeedIsHealthy() {
        assertThat(service(POSTGRES_SERVICE)).containsKey("healthcheck");
        assertThat(service(KAFKA_SERVICE)).containsKey("healthcheck");
        assertThat(healthyDependencies("order-app")).containsExactlyInAnyOrder(POSTGRES_SERVICE);
        // order-app's migrations create the publication and the replication slot the relay reads.
        assertThat(healthyDependencies("outbox-relay")).containsExactlyInAnyOrder("order-app", KAFKA_SERVICE);
        assertThat(healthyDependencies("billing-consumer")).containsExactlyInAnyOrder(POSTGRES_SERVICE, KAFKA_SERVICE);
        assertThat(COMPOSE.get("volumes")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("postgres-data", "kafka-data");
    }

    // The images and the grace periods: ServiceImageTests.

    // ---- what the services default to ------------------------------------------------------------------------

    private static ServiceConfiguration configuration(App app) {
        return ServiceConfiguration.of(HOME, app.module);
    }

    /**
     * What the local stack provisions (runtime's {@link DatabaseLayout} and {@link DatabaseRole}, the contract's
     * names and ports) and therefore need not pass: each service's default must be exactly that.
     */
    private static Map<String, String> layoutDefaults(App app) {
        DatabaseLayout layout = DatabaseLayout.standard();
        Map<String, String> expected = new LinkedHashMap<>();
        switch (app) {
            case ORDER_APP -> {
                expected.put("spring.datasource.url", jdbcUrl(layout.ordersDatabase()));
                role(expected, DatabaseRole.ORDER_APP);
                expected.put("spring.flyway.placeholders.relay_role", DatabaseRole.RELAY.name());
                expected.put("spring.flyway.placeholders.publication", layout.publication());
                expected.put("spring.flyway.placeholders.replication_slot", layout.replicationSlot());
            }
            case OUTBOX_RELAY -> {
                expected.put("relay.database.host", "localhost");
                expected.put("relay.database.port", String.valueOf(LocalPorts.POSTGRES));
                expected.put("relay.database.name", layout.ordersDatabase());
                expected.put("relay.database.username", DatabaseRole.RELAY.name());
                expected.put("relay.database.password", DatabaseRole.RELAY.password());
                expected.put("relay.slot-name", layout.replicationSlot());
                expected.put("relay.publication", layout.publication());
                expected.put("relay.kafka.bootstrap-servers", LocalPorts.KAFKA_BOOTSTRAP_SERVERS);
                expected.put("relay.dead-letter.topic", KafkaNames.RELAY_DEAD_LETTER_TOPIC);
            }
            case BILLING_CONSUMER -> {
                expected.put("spring.datasource.url", jdbcUrl(layout.billingDatabase()));
                role(expected, DatabaseRole.BILLING_APP);
                expected.put("spring.kafka.bootstrap-servers", LocalPorts.KAFKA_BOOTSTRAP_SERVERS);
                expected.put("billing.topic", KafkaNames.ORDERS_TOPIC);
                expected.put("billing.dead-letter-topic", KafkaNames.ORDERS_DEAD_LETTER_TOPIC);
                expected.put("billing.group-id", KafkaNames.BILLING_GROUP);
            }
        }
        return expected;
    }

    /** The app's login role, and migrations as the superuser (trusted locally: no password). */
    private static void role(Map<String, String> expected, DatabaseRole role) {
        expected.put("spring.datasource.username", role.name());
        expected.put("spring.datasource.password", role.password());
        expected.put("spring.flyway.user", PostgresServer.SUPERUSER);
        expected.put("spring.flyway.password", "");
        expected.put("spring.flyway.placeholders.app_role", role.name());
    }

    private static String jdbcUrl(String database) {
        return StackConfig.from(Map.of(), Map.of()).jdbcUrl(database);
    }

    // ---- docker-compose.yml ------------------------------------------------------------------------------------

    /**
     * The app's configuration from its environment, as Spring properties: {@code RELAY_SLOT_NAME} becomes
     * {@code relay.slot.name} (Spring's legacy mapping, which also matches {@code relay.slot-name}), and
     * {@code SPRING_APPLICATION_JSON} is flattened.
     */
    private static Map<String, String> composeProperties(App app) {
        Map<String, String> properties = new TreeMap<>();
        environment(app.service()).forEach((key, value) -> {
            if (key.equals("SPRING_APPLICATION_JSON")) {
                flatten("", new ObjectMapper().readTree(value), properties);
            } else {
                properties.put(key.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), into));
        } else {
            into.put(prefix, node.asString());
        }
    }

    private static Map<String, String> localStackProperties(App app) {
        Map<String, String> properties = new TreeMap<>();
        for (String argument : app.launcher.apply(LOCAL_STACK).arguments()) {
            assertThat(argument).startsWith("--").contains("=");
            int eq = argument.indexOf('=');
            properties.put(argument.substring(2, eq), argument.substring(eq + 1));
        }
        return properties;
    }

    /**
     * Where a dependency is, and the superuser's password: what the network decides, so the local stack and
     * Compose each set them, default or not. The services' own server ports are not among them: Compose keeps the
     * defaults, the local stack always passes the port it chose ({@link #LOCAL_STACK_PORTS}).
     */
    private static boolean isEndpoint(String key) {
        String canonical = ServiceConfiguration.canonical(key);
        return canonical.endsWith(".url") || canonical.endsWith(".host") || canonical.endsWith(".bootstrap.servers")
                || (canonical.endsWith(".port") && !LOCAL_STACK_PORTS.contains(canonical))
                || canonical.equals("spring.flyway.password");
    }

    private static Set<String> canonicalKeys(Set<String> keys) {
        Set<String> canonical = new TreeSet<>();
        keys.forEach(key -> canonical.add(ServiceConfiguration.canonical(key)));
        return canonical;
    }

    private static Map<String, String> listeners(String spec) {
        Map<String, String> listeners = new LinkedHashMap<>();
        for (String listener : spec.split(",")) {
            String[] parts = listener.trim().split("://", 2);
            listeners.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return listeners;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static Set<String> healthyDependencies(String service) {
        Map<String, Object> dependsOn = map(service(service).get("depends_on"));
        Set<String> healthy = new LinkedHashSet<>();
        dependsOn.forEach((name, condition) -> {
            assertThat(map(condition)).as("%s waits for %s to be healthy", service, name)
                    .containsEntry("condition", "service_healthy");
            healthy.add(name);
        });
        return healthy;
    }

    private static Map<String, Object> service(String name) {
        Map<String, Object> service = map(map(COMPOSE.get("services")).get(name));
        assertThat(service).as("service %s in docker-compose.yml", name).isNotEmpty();
        return service;
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> env = new TreeMap<>();
        map(service(service).get("environment")).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        return env;
    }

    private static String image(String service) {
        return String.valueOf(service(service).get("image"));
    }

    private static List<String> portMappings(String service) {
        return list(service(service).get("ports"));
    }

    private static List<String> volumes(String service) {
        return list(service(service).get("volumes"));
    }

    private static List<String> list(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, Object> load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> yaml = new Yaml().load(reader);
            return yaml == null ? Map.of() : yaml;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * The properties of a module's {@code @ConfigurationProperties} records, read from their source: a component
     * whose type is a record of the same file is a nested group, a {@code Map} takes any key below it.
     */
}
