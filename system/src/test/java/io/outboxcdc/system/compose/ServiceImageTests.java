package io.outboxcdc.system.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.outboxcdc.system.stack.StackConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 19: the three services' images come from one recipe, docker/service/Dockerfile, and each service's
 * {@code stop_grace_period} in docker-compose.yml is derived from the service's own stop timeout by one rule:
 * grace = stop timeout + {@link #GRACE_MARGIN}. The stop timeout of every service is
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (the relay's supervisor bounds its stop by it too), read from
 * the module's application.yml, or Spring Boot's default from the configuration metadata in the service's jar.
 */
class ServiceImageTests {

    /** What docker's SIGKILL waits beyond a service's stop timeout: JVM exit, shutdown hooks, a loaded box. */
    static final Duration GRACE_MARGIN = Duration.ofSeconds(10);

    private static final String STOP_TIMEOUT_KEY = "spring.lifecycle.timeout-per-shutdown-phase";
    private static final String RECIPE = "docker/service/Dockerfile";
    private static final Path HOME = StackConfig.findHome();
    private static final Map<String, Object> COMPOSE = yaml(HOME.resolve("docker-compose.yml"));

    @ParameterizedTest
    @ValueSource(strings = {"order-app", "outbox-relay", "billing-consumer"})
    void gracePeriodIsTheServicesStopTimeoutPlusTheMargin(String module) {
        Duration stopTimeout = stopTimeout(module);
        Object grace = service(module).get("stop_grace_period");
        assertThat(grace).as("%s: stop_grace_period in docker-compose.yml", module).isNotNull();

        assertThat(duration(String.valueOf(grace)))
                .as("%s: stop_grace_period = %s (%s) + %s", module, STOP_TIMEOUT_KEY, stopTimeout, GRACE_MARGIN)
                .isEqualTo(stopTimeout.plus(GRACE_MARGIN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-app", "outbox-relay", "billing-consumer"})
    void everyServiceIsBuiltFromTheOneRecipeWithItsModuleAndPort(String module) {
        Map<String, Object> build = map(service(module).get("build"));
        assertThat(build).containsEntry("context", ".").containsEntry("dockerfile", RECIPE);
        Map<String, Object> args = map(build.get("args"));
        assertThat(args).as("%s: build args", module).containsOnlyKeys("MODULE", "PORT");
        assertThat(args.get("MODULE")).isEqualTo(module);
        assertThat(Integer.parseInt(String.valueOf(args.get("PORT"))))
                .as("%s: PORT build arg = server.port of its application.yml", module).isEqualTo(serverPort(module));
    }

    @Test
    void theRecipeIsMultiStageNonRootWithAHealthcheckAndTheJvmAsPid1() throws IOException {
        String dockerfile = Files.readString(HOME.resolve(RECIPE));
        assertThat(dockerfile)
                .contains("FROM eclipse-temurin:17-jdk AS build")
                .contains("./mvnw -B -ntp -pl \"${MODULE}\" -am")
                .contains("java -Djarmode=tools -jar \"${MODULE}/target/${MODULE}.jar\" extract --layers --launcher")
                .contains("FROM eclipse-temurin:17-jre")
                .containsPattern("(?m)^USER 10001")
                .contains("EXPOSE ${PORT}")
                .contains("/dev/tcp/127.0.0.1/${SERVER_PORT:-$SERVICE_DEFAULT_PORT}")
                .contains("GET /actuator/health")
                .contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        assertThat(dockerfile.indexOf("USER 10001")).as("USER comes after the last FROM")
                .isGreaterThan(dockerfile.lastIndexOf("FROM "));
        // Every module's pom is copied: the root pom lists them all, and Maven reads each before building one.
        for (String module : modules()) {
            assertThat(dockerfile.contains("COPY " + module + "/pom.xml") || dockerfile.contains("COPY " + module + "/ "))
                    .as("the recipe copies %s/pom.xml", module).isTrue();
        }
    }

    @Test
    void noModuleKeepsItsOwnDockerfile() {
        for (String module : modules()) {
            assertThat(HOME.resolve(module).resolve("Dockerfile")).as("one recipe: " + RECIPE).doesNotExist();
        }
    }

    // ---- the services' own configuration -----------------------------------------------------------------------

    private static Duration stopTimeout(String module) {
        return duration(configuration(module).defaultValue(STOP_TIMEOUT_KEY)
                .orElseGet(() -> fail(STOP_TIMEOUT_KEY + " has no default in " + module)));
    }

    private static int serverPort(String module) {
        return Integer.parseInt(configuration(module).defaultValue("server.port").orElseThrow());
    }

    /** The service's properties and defaults: the metadata in its jar, its application.yml on top. */
    private static ServiceConfiguration configuration(String module) {
        return ServiceConfiguration.of(HOME, module);
    }

    private static java.util.List<String> modules() {
        Pattern module = Pattern.compile("<module>([^<]+)</module>");
        try {
            Matcher matcher = module.matcher(Files.readString(HOME.resolve("pom.xml")));
            java.util.List<String> modules = new java.util.ArrayList<>();
            while (matcher.find()) {
                modules.add(matcher.group(1));
            }
            assertThat(modules).contains("order-app", "outbox-relay", "billing-consumer");
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spring Boot's simple duration format as used in application.yml and compose: {@code 500ms}, {@code 30s}, {@code 1m}. */
    static Duration duration(String value) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value.trim());
        if (!matcher.matches()) {
            return fail("not a duration like 30s: " + value);
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    // ---- YAML --------------------------------------------------------------------------------------------------

    private static Map<String, Object> service(String name) {
        return map(map(COMPOSE.get("services")).get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> loaded = new Yaml().load(reader);
            return loaded == null ? Map.of() : loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
