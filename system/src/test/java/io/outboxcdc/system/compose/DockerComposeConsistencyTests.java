package io.outboxcdc.system.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.testkit.containers.DockerPostgres;
import io.outboxcdc.runtime.postgres.DatabaseLayout;
import io.outboxcdc.runtime.postgres.DatabaseRole;
import io.outboxcdc.runtime.kafka.KafkaSettings;
import io.outboxcdc.runtime.process.SpringBootService;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 9: docker-compose.yml is checked against the code, so that it cannot drift from it. No Docker needed:
 * the file is read as YAML, the services' configuration properties come from their jars (Spring Boot's
 * configuration metadata of every library the app ships) and from their {@code @ConfigurationProperties}
 * records, and the reference for keys and values is what {@link LocalStack} passes to the same services.
 */
class DockerComposeConsistencyTests {

    private static final Path HOME = StackConfig.findHome();
    private static final Map<String, Object> COMPOSE = load(HOME.resolve("docker-compose.yml"));
    private static final LocalStack LOCAL_STACK = new LocalStack(StackConfig.from(Map.of(), Map.of()), line -> { });
    private static final Map<App, Set<String>> KNOWN_PROPERTIES = new ConcurrentHashMap<>();
    private static final String KAFKA_SERVICE = "kafka";
    private static final String POSTGRES_SERVICE = "postgres";
    /** Host ports are published on loopback only: PostgreSQL trusts its clients, as in the local stack. */
    private static final String LOOPBACK = "127.0.0.1:";

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
        Set<String> known = KNOWN_PROPERTIES.computeIfAbsent(app, DockerComposeConsistencyTests::knownProperties);
        List<String> unknown = new ArrayList<>();
        composeProperties(app).keySet().forEach(property -> {
            if (!isKnown(property, known)) {
                unknown.add(property);
            }
        });
        assertThat(unknown).as("%s: environment keys in docker-compose.yml that %s does not read", app.service(),
                app.module).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void everyServiceGetsTheKeysTheLocalStackPasses(App app) {
        assertThat(canonicalKeys(composeProperties(app).keySet()))
                .as("%s: configuration keys in docker-compose.yml vs LocalStack", app.service())
                .isEqualTo(canonicalKeys(localStackProperties(app).keySet()));
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void valuesAgreeWithTheLocalStackWhereTheNetworkDoesNotDiffer(App app) {
        Map<String, String> compose = canonical(composeProperties(app));
        canonical(localStackProperties(app)).forEach((key, value) -> {
            if (!isNetworkSpecific(key)) {
                assertThat(compose.get(key)).as("%s: %s", app.service(), key).isEqualTo(value);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void portsMatchTheServersPort(App app) throws IOException {
        Map<String, String> env = environment(app.service());
        int serverPort = Integer.parseInt(env.get("SERVER_PORT"));
        int localStackPort = StackConfig.DEFAULT_PORTS.get(app.portOption);

        assertThat(serverPort).as("%s: server.port in application.yml", app.module).isEqualTo(defaultServerPort(app));
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

    // ---- what the app reads ------------------------------------------------------------------------------------

    private static boolean isKnown(String property, Set<String> known) {
        String name = legacy(property);
        for (String candidate : known) {
            if (candidate.endsWith(".*")) {
                String prefix = legacy(candidate.substring(0, candidate.length() - 2));
                if (name.startsWith(prefix + ".")) {
                    return true;
                }
            } else if (legacy(candidate).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Property names from the Boot metadata of every library in the app's jar, plus its own records. */
    private static Set<String> knownProperties(App app) {
        Set<String> known = new TreeSet<>(metadataProperties(serviceJar(app)));
        known.addAll(ConfigurationPropertiesSource.properties(HOME.resolve(app.module).resolve("src/main/java")));
        return known;
    }

    private static Path serviceJar(App app) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String file = path.getFileName() == null ? "" : path.getFileName().toString();
            if (Files.isRegularFile(path) && (file.equals(app.module + ".jar") || file.startsWith(app.module + "-"))) {
                return path;
            }
        }
        Path built = HOME.resolve(app.module).resolve("target").resolve(app.module + ".jar");
        if (!Files.isRegularFile(built)) {
            fail(app.module + ".jar is neither on the test classpath nor at " + built
                    + ": package the services first (./mvnw -DskipTests package)");
        }
        return built;
    }

    private static Set<String> metadataProperties(Path jar) {
        Set<String> names = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                    try (ZipInputStream nested = new ZipInputStream(zip.getInputStream(entry))) {
                        for (ZipEntry inner; (inner = nested.getNextEntry()) != null; ) {
                            if (isMetadata(inner.getName())) {
                                collect(json.readTree(nested.readAllBytes()), names);
                            }
                        }
                    }
                } else if (name.startsWith("BOOT-INF/classes/") && isMetadata(name.substring(17))) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        collect(json.readTree(in.readAllBytes()), names);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + jar, e);
        }
        assertThat(names).as("configuration metadata in %s", jar).contains("server.port");
        return names;
    }

    private static boolean isMetadata(String name) {
        return name.equals("META-INF/spring-configuration-metadata.json")
                || name.equals("META-INF/additional-spring-configuration-metadata.json");
    }

    private static void collect(JsonNode metadata, Set<String> names) {
        JsonNode properties = metadata.get("properties");
        if (properties == null) {
            return;
        }
        for (JsonNode property : properties) {
            String name = property.get("name").asString();
            JsonNode type = property.get("type");
            boolean map = type != null && type.asString().startsWith("java.util.Map<");
            names.add(map ? name + ".*" : name);
        }
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

    /** Endpoints and the superuser's password differ between the local stack and Compose by design. */
    private static boolean isNetworkSpecific(String canonicalKey) {
        return canonicalKey.endsWith(".url") || canonicalKey.endsWith(".host") || canonicalKey.endsWith(".bootstrap.servers")
                || (canonicalKey.endsWith(".port") && !canonicalKey.equals("server.port"))
                || canonicalKey.equals("spring.flyway.password");
    }

    /** Dashes and underscores of property names become dots: how an environment variable would spell them. */
    private static String legacy(String property) {
        return property.toLowerCase(Locale.ROOT).replace('-', '.');
    }

    private static Set<String> canonicalKeys(Set<String> keys) {
        return canonical(keys.stream().collect(LinkedHashMap::new, (m, k) -> m.put(k, ""), Map::putAll)).keySet();
    }

    private static Map<String, String> canonical(Map<String, String> properties) {
        Map<String, String> canonical = new TreeMap<>();
        properties.forEach((key, value) -> canonical.put(legacy(key), value));
        return canonical;
    }

    private static int defaultServerPort(App app) throws IOException {
        Map<String, Object> yml = load(HOME.resolve(app.module).resolve("src/main/resources/application.yml"));
        Object port = path(yml, "server.port");
        // outbox-relay serves only Actuator: server.port: ${management.server.port}
        Matcher placeholder = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}").matcher(String.valueOf(port));
        if (placeholder.matches()) {
            Object referenced = path(yml, placeholder.group(1));
            port = referenced != null ? referenced : placeholder.group(2);
        }
        assertThat(port).as("%s application.yml server.port", app.module).isNotNull();
        return Integer.parseInt(String.valueOf(port));
    }

    private static Object path(Map<String, Object> yml, String dotted) {
        Object node = yml;
        for (String part : dotted.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
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
    static final class ConfigurationPropertiesSource {

        private static final Pattern ANNOTATED = Pattern.compile(
                "@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"\\s*\\)");

        static Set<String> properties(Path sources) {
            Set<String> properties = new TreeSet<>();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Matcher annotated = ANNOTATED.matcher(source);
                    while (annotated.find()) {
                        String prefix = annotated.group(1);
                        Matcher record = Pattern.compile("record\\s+(\\w+)\\s*\\(").matcher(source);
                        if (record.find(annotated.end())) {
                            collect(source, record.end(), prefix, properties);
                        } else {
                            properties.add(prefix + ".*"); // a JavaBean: accept the prefix
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties;
        }

        private static void collect(String source, int componentsStart, String prefix, Set<String> into) {
            for (String component : components(source, componentsStart)) {
                String[] typeAndName = component.replaceAll("@\\w+(\\([^)]*\\))?", "").trim().split("\\s+(?=\\w+$)");
                if (typeAndName.length != 2) {
                    continue;
                }
                String type = typeAndName[0].replaceAll("<.*", "").trim();
                String property = prefix + "." + kebab(typeAndName[1].trim());
                Matcher nested = Pattern.compile("record\\s+" + Pattern.quote(type) + "\\s*\\(").matcher(source);
                if (type.equals("Map") || type.endsWith(".Map")) {
                    into.add(property + ".*");
                } else if (nested.find()) {
                    collect(source, nested.end(), property, into);
                } else {
                    into.add(property);
                }
            }
        }

        /** The comma-separated components up to the parenthesis that closes the record header. */
        private static List<String> components(String source, int start) {
            List<String> components = new ArrayList<>();
            int depth = 0;
            StringBuilder current = new StringBuilder();
            for (int i = start; i < source.length(); i++) {
                char c = source.charAt(i);
                if ((c == ')' || c == ',') && depth == 0) {
                    if (!current.toString().isBlank()) {
                        components.add(current.toString());
                    }
                    current.setLength(0);
                    if (c == ')') {
                        break;
                    }
                    continue;
                }
                if (c == '(' || c == '<') {
                    depth++;
                } else if (c == ')' || c == '>') {
                    depth--;
                }
                current.append(c);
            }
            return components;
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }
    }

}
