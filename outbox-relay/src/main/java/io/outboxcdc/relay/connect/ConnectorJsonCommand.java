package io.outboxcdc.relay.connect;

import io.outboxcdc.relay.RelayProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the body of {@code POST /connectors} for a Kafka Connect cluster: the relay's connector, configured
 * from exactly what the relay itself would be started with ({@code application.yml}, environment, the same
 * {@code --relay.*} arguments), bound by Spring Boot as the relay binds them. Nothing else starts: no database,
 * no Kafka, no web server. Run from the relay's jar:
 *
 * <pre>
 * java -cp outbox-relay.jar -Dloader.main=io.outboxcdc.relay.connect.ConnectorJsonCommand \
 *     org.springframework.boot.loader.launch.PropertiesLauncher [--relay.key=value ...] [--connect.exactly-once=false]
 * </pre>
 */
public final class ConnectorJsonCommand {

    /** Binds RelayProperties and nothing else; not a @Component, so the relay's own scan never picks it up. */
    @EnableConfigurationProperties(RelayProperties.class)
    static class Binding {
    }

    private ConnectorJsonCommand() {
    }

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(Binding.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setLogStartupInfo(false);
        // stdout carries the JSON only; a binding error still ends the command with its message on stderr.
        application.setDefaultProperties(Map.of("logging.level.root", "OFF"));
        try (ConfigurableApplicationContext context = application.run(args)) {
            boolean exactlyOnce = context.getEnvironment().getProperty("connect.exactly-once", Boolean.class, true);
            System.out.println(json(context.getBean(RelayProperties.class), exactlyOnce));
        } catch (RuntimeException e) {
            System.err.println("connector JSON: " + e.getMessage());
            System.exit(1);
        }
    }

    /** {@code {"name": ..., "config": {...}}}, pretty-printed, keys sorted. */
    public static String json(RelayProperties relay, boolean exactlyOnce) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", KafkaConnectConnector.name());
        body.put("config", KafkaConnectConnector.config(relay, exactlyOnce));
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(body);
    }
}
