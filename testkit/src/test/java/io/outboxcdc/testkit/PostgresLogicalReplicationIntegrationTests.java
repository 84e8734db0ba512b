package io.outboxcdc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Issue 2: the embedded PostgreSQL is real, durable, and streams changes through pgoutput.
@RealInfrastructure
class PostgresLogicalReplicationIntegrationTests {

    @Test
    void runsWithLogicalDecodingAndDurableSettings(TestInfrastructure infra) throws SQLException {
        try (Connection c = infra.postgres().superuserDataSource("postgres").getConnection();
                Statement s = c.createStatement()) {
            assertThat(show(s, "wal_level")).isEqualTo("logical");
            assertThat(show(s, "fsync")).isEqualTo("on");
            assertThat(show(s, "synchronous_commit")).isEqualTo("on");
            assertThat(show(s, "server_version")).startsWith("17.");
        }
    }

    @Test
    void aPgoutputSlotStreamsAnInsert(TestInfrastructure infra) throws SQLException {
        String db = infra.layout().ordersDatabase();
        infra.postgres().execute(db,
                "CREATE TABLE smoke (id int PRIMARY KEY, note text)",
                "CREATE PUBLICATION smoke_pub FOR TABLE smoke",
                "SELECT pg_create_logical_replication_slot('smoke_slot_" + db + "', 'pgoutput')");
        infra.postgres().execute(db, "INSERT INTO smoke VALUES (1, 'through-the-wal')");

        List<String> messages = new ArrayList<>();
        try (Connection c = infra.postgres().superuserDataSource(db).getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT data FROM pg_logical_slot_get_binary_changes('smoke_slot_"
                        + db + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'smoke_pub')")) {
            while (rows.next()) {
                messages.add(new String(rows.getBytes(1), StandardCharsets.ISO_8859_1));
            }
        }
        // pgoutput: Begin, Relation, Insert, Commit. The Insert message ('I') carries the row's text values.
        assertThat(messages).extracting(m -> m.charAt(0)).containsSubsequence('B', 'R', 'I', 'C');
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("I").contains("through-the-wal"));
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
