package io.outboxcdc.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.verify.VerificationReport;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

// Issue 6: the whole system as separate processes, 1 000 orders through REST (idempotent retries and
// cancellations), and the shared verification passes: every committed order billed exactly once.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeSystemIntegrationTests {

    private static LocalStack stack;

    @BeforeAll
    static void startSystem() {
        stack = SystemUnderTest.start("whole-system");
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyCommittedOrderIsBilledExactlyOnce() {
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), 1_000, 16, 0, 0.1, 0.2,
                Duration.ofSeconds(30), 7);
        LoadResult load = new LoadDriver().run(plan, System.out::println);
        System.out.println(load.summary());

        VerificationReport report = SystemUnderTest.verifier(stack)
                .verify(Duration.ofSeconds(120), Optional.of(load.acknowledgedOrders()), System.out::println);
        System.out.println(report.toText());

        assertThat(load.acknowledgedOrders()).hasSize(1_000);
        assertThat(load.idempotencyViolations()).isZero();
        assertThat(load.cancelled()).isNotEmpty();
        assertThat(report.ordersCommitted()).isEqualTo(1_000);
        assertThat(report.ordersCancelled()).isEqualTo(load.cancelled().size());
        assertThat(report.missingInvoices()).isZero();
        assertThat(report.doubleEffects()).isZero();
        assertThat(report.orphanInvoices()).isZero();
        assertThat(report.eventsLost()).isZero();
        assertThat(report.sequenceGaps()).isZero();
        assertThat(report.invoicesIssued() + report.invoicesVoided()).isEqualTo(1_000);
        assertThat(report.invoicesVoided()).isEqualTo(load.cancelled().size());
        assertThat(report.passed()).isTrue();
    }

    // The retention job deletes published outbox rows; deletes reach the relay through the WAL and must
    // neither be published nor stop it (order-app's README explains why deleting loses nothing).
    @Test
    @Order(2)
    void deletedOutboxRowsAreNotPublishedAndTheRelayKeepsGoing() throws SQLException {
        long recordsBefore = SystemUnderTest.verifier(stack).verify(Duration.ofSeconds(60), Optional.empty(), line -> { })
                .topicRecords();
        try (Connection c = stack.postgres().superuserDataSource("orders").getConnection();
                Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox LIMIT 300)")).isEqualTo(300);
        }
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), 100, 4, 0, 0, 0.5,
                Duration.ofSeconds(30), 8);
        LoadResult load = new LoadDriver().run(plan, line -> { });

        VerificationReport report = SystemUnderTest.verifier(stack)
                .verify(Duration.ofSeconds(120), Optional.of(load.acknowledgedOrders()), System.out::println);
        System.out.println(report.toText());
        assertThat(report.missingInvoices()).isZero();
        assertThat(report.ordersCommitted()).isEqualTo(1_100);
        assertThat(report.topicRecords() - recordsBefore).as("only the new orders' events were published")
                .isEqualTo(100 + load.cancelled().size());
        assertThat(stack.relay().isHealthy()).isTrue();
    }
}
