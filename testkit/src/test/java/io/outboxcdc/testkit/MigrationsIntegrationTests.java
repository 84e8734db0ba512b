package io.outboxcdc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.runtime.postgres.Migrations;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

// Issue 2: both databases migrate from a clean state; a second run changes nothing.
@RealInfrastructure
class MigrationsIntegrationTests {

    @Test
    void ordersMigrationsApplyOnceAndCreateTheSlotAndPublication(TestInfrastructure infra) throws SQLException {
        MigrateResult first = Migrations.migrateOrders(infra.postgres(), infra.layout());
        MigrateResult second = Migrations.migrateOrders(infra.postgres(), infra.layout());

        assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(3);
        assertThat(second.migrationsExecuted).isZero();
        String db = infra.layout().ordersDatabase();
        assertThat(count(infra, db, "SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                + "('orders','order_items','outbox','idempotency_keys')")).isEqualTo(4);
        assertThat(count(infra, db, "SELECT count(*) FROM pg_replication_slots WHERE plugin = 'pgoutput' AND slot_name = '"
                + infra.layout().replicationSlot() + "'")).isEqualTo(1);
        assertThat(count(infra, db, "SELECT count(*) FROM pg_publication_tables WHERE pubname = '"
                + infra.layout().publication() + "' AND tablename = 'outbox'")).isEqualTo(1);
    }

    @Test
    void billingMigrationsApplyOnce(TestInfrastructure infra) throws SQLException {
        MigrateResult first = Migrations.migrateBilling(infra.postgres(), infra.layout());
        MigrateResult second = Migrations.migrateBilling(infra.postgres(), infra.layout());

        assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(1);
        assertThat(second.migrationsExecuted).isZero();
        assertThat(count(infra, infra.layout().billingDatabase(), "SELECT count(*) FROM information_schema.tables "
                + "WHERE table_name IN ('invoices','processed_events')")).isEqualTo(2);
    }

    private static long count(TestInfrastructure infra, String db, String sql) throws SQLException {
        try (Connection c = infra.postgres().superuserDataSource(db).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
