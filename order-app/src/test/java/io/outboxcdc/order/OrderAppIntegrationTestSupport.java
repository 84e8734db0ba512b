package io.outboxcdc.order;

import io.outboxcdc.order.db.RoundTripCountingSocketFactory;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One application context for all integration tests (each context start costs seconds): the real app on a
 * random port, connected as the least-privilege role to its own database on the test kit's PostgreSQL.
 * Subclasses must not add context configuration, or they would start a second context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class OrderAppIntegrationTestSupport {

    protected static final TestInfrastructure INFRA = TestInfrastructure.forClass(OrderAppIntegrationTestSupport.class);

    @DynamicPropertySource
    static void orderAppProperties(DynamicPropertyRegistry registry) {
        // The counting socket factory lets WritePathIntegrationTests measure round trips on the wire.
        registry.add("spring.datasource.url", () -> INFRA.ordersJdbcUrl() + "?socketFactory="
                + RoundTripCountingSocketFactory.class.getName());
        registry.add("spring.datasource.username", () -> INFRA.orderAppRole().name());
        registry.add("spring.datasource.password", () -> INFRA.orderAppRole().password());
        // Small enough that a 100-line order with long SKUs exceeds it (EventSizeIntegrationTests), large enough
        // for every other test's events.
        registry.add("orders.outbox.max-event-size", () -> "8KB");
        registry.add("spring.flyway.user", INFRA::superuser);
        registry.add("spring.flyway.password", () -> "");
        registry.add("spring.flyway.placeholders.app_role", () -> INFRA.orderAppRole().name());
        registry.add("spring.flyway.placeholders.relay_role", () -> INFRA.replicationRole().name());
        registry.add("spring.flyway.placeholders.publication", () -> INFRA.layout().publication());
        registry.add("spring.flyway.placeholders.replication_slot", () -> INFRA.layout().replicationSlot());
    }

    protected static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    protected int port;

    /** Connected as order_app, like the application. */
    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected JsonMapper json;

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> postJson(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    protected JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    protected static String orderJson(String customerId) {
        return """
                {"customerId":"%s","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":24.99}]}
                """.formatted(customerId);
    }

    protected static String uniqueCustomer(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    /** Rows in every table order-app writes, to prove a request wrote nothing. */
    protected Map<String, Long> rowCounts() {
        return Map.of(
                "orders", count("SELECT count(*) FROM orders"),
                "order_items", count("SELECT count(*) FROM order_items"),
                "outbox", count("SELECT count(*) FROM outbox"),
                "idempotency_keys", count("SELECT count(*) FROM idempotency_keys"));
    }

    /** DDL the application role may not run (triggers for fault injection, slot inspection). */
    protected static void asSuperuser(String... statements) {
        try (Connection c = INFRA.postgres().superuserDataSource(INFRA.layout().ordersDatabase()).getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static long superuserCount(String sql) {
        try (Connection c = INFRA.postgres().superuserDataSource(INFRA.layout().ordersDatabase()).getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
