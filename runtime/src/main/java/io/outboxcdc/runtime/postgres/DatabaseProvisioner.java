package io.outboxcdc.runtime.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Creates the roles and the two databases if they do not exist yet: what a DBA does once per environment. */
public final class DatabaseProvisioner {

    private DatabaseProvisioner() {
    }

    public static void provision(PostgresInfrastructure postgres, DatabaseLayout layout) {
        try (Connection connection = postgres.superuserDataSource("postgres").getConnection()) {
            for (DatabaseRole role : List.of(DatabaseRole.ORDER_APP, DatabaseRole.BILLING_APP, DatabaseRole.RELAY)) {
                createRoleIfMissing(connection, role);
            }
            createDatabaseIfMissing(connection, layout.ordersDatabase());
            createDatabaseIfMissing(connection, layout.billingDatabase());
        } catch (SQLException e) {
            throw new IllegalStateException("provisioning " + layout + " failed", e);
        }
    }

    private static void createRoleIfMissing(Connection connection, DatabaseRole role) throws SQLException {
        if (exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role.name())) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + role.name() + " LOGIN" + (role.replication() ? " REPLICATION" : "")
                    + " PASSWORD '" + role.password().replace("'", "''") + "'");
        } catch (SQLException e) {
            // Another JVM may have created it a moment ago (parallel test modules).
            if (!"42710".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static void createDatabaseIfMissing(Connection connection, String database) throws SQLException {
        if (exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
