package io.outboxcdc.testkit.junit;

import io.outboxcdc.runtime.kafka.KafkaInfrastructure;
import io.outboxcdc.runtime.postgres.DatabaseLayout;
import io.outboxcdc.runtime.postgres.DatabaseProvisioner;
import io.outboxcdc.runtime.postgres.DatabaseRole;
import io.outboxcdc.runtime.postgres.Migrations;
import io.outboxcdc.runtime.postgres.PostgresInfrastructure;
import io.outboxcdc.runtime.postgres.PostgresServer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test class gets: its own {@code orders} and {@code billing} databases and replication slot on the
 * JVM's shared PostgreSQL, and the JVM's shared Kafka broker. Both servers are real and can be stopped,
 * killed and started through {@link #postgres()} and {@link #kafka()}. By default they are processes on this machine
 * (no Docker); with {@code -Dinfra=containers} they are containers ({@link InfrastructureProvider}).
 *
 * <p>Use it through {@link RealInfrastructure} (a parameter of this type is injected), or from a static
 * context such as {@code @DynamicPropertySource} with {@link #forClass(Class)}; both give the same instance.
 */
public final class TestInfrastructure {

    private static final Map<Class<?>, TestInfrastructure> BY_CLASS = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final DatabaseLayout layout;

    private TestInfrastructure(DatabaseLayout layout) {
        this.layout = layout;
        DatabaseProvisioner.provision(postgres(), layout);
    }

    public static TestInfrastructure forClass(Class<?> testClass) {
        return BY_CLASS.computeIfAbsent(testClass, c -> new TestInfrastructure(DatabaseLayout.withSuffix(
                "t" + COUNTER.incrementAndGet() + "_" + c.getSimpleName().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]", "").replace("integrationtests", ""))));
    }

    public DatabaseLayout layout() {
        return layout;
    }

    public PostgresInfrastructure postgres() {
        return SharedInfrastructure.get().postgres();
    }

    /** The broker, started on first call. */
    public KafkaInfrastructure kafka() {
        return SharedInfrastructure.get().kafka();
    }

    public String kafkaBootstrapServers() {
        return kafka().bootstrapServers();
    }

    public String ordersJdbcUrl() {
        return postgres().jdbcUrl(layout.ordersDatabase());
    }

    public String billingJdbcUrl() {
        return postgres().jdbcUrl(layout.billingDatabase());
    }

    /** The least-privilege roles; their passwords are irrelevant locally (trust) but set for realism. */
    public DatabaseRole orderAppRole() {
        return DatabaseRole.ORDER_APP;
    }

    public DatabaseRole billingAppRole() {
        return DatabaseRole.BILLING_APP;
    }

    /** A role with REPLICATION, as the relay uses. */
    public DatabaseRole replicationRole() {
        return DatabaseRole.RELAY;
    }

    public String superuser() {
        return PostgresServer.SUPERUSER;
    }

    public void migrateOrders() {
        Migrations.migrateOrders(postgres(), layout);
    }

    public void migrateBilling() {
        Migrations.migrateBilling(postgres(), layout);
    }
}
