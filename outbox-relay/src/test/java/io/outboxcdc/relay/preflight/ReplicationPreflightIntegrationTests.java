package io.outboxcdc.relay.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.relay.RelayProperties;
import io.outboxcdc.relay.database.RelayDatabase;
import io.outboxcdc.relay.support.TestProperties;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

@RealInfrastructure
class ReplicationPreflightIntegrationTests {

    private static TestInfrastructure infra;

    @BeforeAll
    static void migrate(TestInfrastructure testInfrastructure) {
        infra = testInfrastructure;
        infra.migrateOrders();
    }

    @Test
    void passesForTheRelayRoleOnAMigratedDatabase() {
        assertThatCode(() -> preflight(Map.of()).checkConfiguration()).doesNotThrowAnyException();
    }

    @Test
    void aRoleWithoutReplicationIsNamedWithTheFix() {
        assertThatThrownBy(() -> preflight(Map.of("relay.database.username", "order_app",
                "relay.database.password", "order_app")).checkConfiguration())
                .isInstanceOf(PreflightFailedException.class)
                .hasMessageContaining("role 'order_app' lacks the REPLICATION attribute")
                .hasMessageContaining("ALTER ROLE order_app REPLICATION");
    }

    @Test
    void aMissingSlotIsReported() {
        assertThatThrownBy(() -> preflight(Map.of("relay.slot-name", "no_such_slot")).checkConfiguration())
                .isInstanceOf(PreflightFailedException.class)
                .hasMessageContaining("replication slot 'no_such_slot' does not exist");
    }

    @Test
    void aMissingPublicationIsReported() {
        assertThatThrownBy(() -> preflight(Map.of("relay.publication", "no_such_pub")).checkConfiguration())
                .isInstanceOf(PreflightFailedException.class)
                .hasMessageContaining("publication 'no_such_pub' does not exist");
    }

    /** Issue 12 point 2: only outbox inserts enter the replication stream (migration V4). */
    @Test
    void theMigratedPublicationPublishesOutboxInsertsOnly() throws Exception {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            ResultSet p = s.executeQuery("SELECT pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication "
                    + "WHERE pubname = '" + infra.layout().publication() + "'");
            assertThat(p.next()).isTrue();
            assertThat(List.of(p.getBoolean(1), p.getBoolean(2), p.getBoolean(3), p.getBoolean(4)))
                    .containsExactly(true, false, false, false);
            ResultSet tables = s.executeQuery("SELECT string_agg(schemaname || '.' || tablename, ',') "
                    + "FROM pg_publication_tables WHERE pubname = '" + infra.layout().publication() + "'");
            tables.next();
            assertThat(tables.getString(1)).isEqualTo("public.outbox");
        }
    }

    @Test
    void aPublicationWithoutTheOutboxIsRefusedWithTheFix() throws Exception {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("CREATE PUBLICATION preflight_orders_only FOR TABLE orders");
        }
        assertThatThrownBy(() -> preflight(Map.of("relay.publication", "preflight_orders_only")).checkConfiguration())
                .isInstanceOf(PreflightFailedException.class)
                .hasMessageContaining("does not publish inserts of public.outbox")
                .hasMessageContaining("SET (publish = 'insert')");
    }

    /**
     * Issue 12: a walsender left holding the slot (a dead leader's, or one a failed run of the relay leaked when
     * Kafka was down) must not stop the leader for good: after the wait it is terminated and the slot is taken.
     */
    @Test
    void theLeaderTakesOverASlotStillHeldByAStaleWalsender() throws Exception {
        Properties replication = new Properties();
        PGProperty.USER.set(replication, infra.replicationRole().name());
        PGProperty.PASSWORD.set(replication, infra.replicationRole().password());
        PGProperty.REPLICATION.set(replication, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(replication, "10");
        PGProperty.PREFER_QUERY_MODE.set(replication, "simple");
        // Not try-with-resources: the connection is meant to die under the test, so closing it would throw.
        Connection stale = DriverManager.getConnection(infra.ordersJdbcUrl(), replication);
        try {
            PGReplicationStream stream = stale.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                    .logical().withSlotName(infra.layout().replicationSlot())
                    .withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", infra.layout().publication())
                    .start();
            await().atMost(Duration.ofSeconds(10)).until(ReplicationPreflightIntegrationTests::slotActive);

            preflight(Map.of()).awaitSlotFree(Duration.ofMillis(500));

            assertThat(slotActive()).isFalse();
            // The stale walsender's connection is gone: the stream fails on its next round trip.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    stream.forceUpdateStatus();
                    stream.readPending();
                    return false;
                } catch (SQLException gone) {
                    return true;
                }
            });
        } finally {
            try {
                stale.close();
            } catch (SQLException alreadyGone) {
                // expected: its backend was terminated
            }
        }
    }

    private static boolean slotActive() throws Exception {
        try (Connection c = superuser(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '"
                        + infra.layout().replicationSlot() + "'")) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private static Connection superuser() throws Exception {
        return DriverManager.getConnection(infra.ordersJdbcUrl(), infra.superuser(), "");
    }

    private static ReplicationPreflight preflight(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "relay.database.host", "localhost",
                "relay.database.port", Integer.toString(infra.postgres().port()),
                "relay.database.name", infra.layout().ordersDatabase(),
                "relay.slot-name", infra.layout().replicationSlot(),
                "relay.publication", infra.layout().publication()));
        values.putAll(overrides);
        RelayProperties properties = TestProperties.relay(values);
        return new ReplicationPreflight(new RelayDatabase(properties), properties);
    }
}
