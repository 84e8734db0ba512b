package io.outboxcdc.runtime.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies {@code db/migrations/orders} and {@code db/migrations/billing} from the source tree, exactly as the
 * services apply the copies inside their jars, for tests that need a schema without starting the owner.
 */
public final class Migrations {

    private Migrations() {
    }

    public static MigrateResult migrateOrders(PostgresInfrastructure postgres, DatabaseLayout layout) {
        return flyway(postgres, layout.ordersDatabase(), "orders", Map.of(
                "app_role", DatabaseRole.ORDER_APP.name(),
                "relay_role", DatabaseRole.RELAY.name(),
                "publication", layout.publication(),
                "replication_slot", layout.replicationSlot())).migrate();
    }

    public static MigrateResult migrateBilling(PostgresInfrastructure postgres, DatabaseLayout layout) {
        return flyway(postgres, layout.billingDatabase(), "billing",
                Map.of("app_role", DatabaseRole.BILLING_APP.name())).migrate();
    }

    public static Flyway flyway(PostgresInfrastructure postgres, String database, String folder,
            Map<String, String> placeholders) {
        return Flyway.configure()
                .dataSource(postgres.jdbcUrl(database), PostgresServer.SUPERUSER, "")
                .locations("filesystem:" + sourceFolder(folder))
                .placeholders(placeholders)
                // As order-app (spring.flyway.postgresql.transactional-lock=false): a migration that runs outside a
                // transaction (CREATE INDEX CONCURRENTLY) would otherwise wait forever for Flyway's own lock transaction.
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                .load();
    }

    /** {@code db/migrations/<folder>} of this checkout, found from the working directory upwards. */
    public static Path sourceFolder(String folder) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("db").resolve("migrations").resolve(folder);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("db/migrations/" + folder + " not found above " + Path.of("").toAbsolutePath());
    }
}
