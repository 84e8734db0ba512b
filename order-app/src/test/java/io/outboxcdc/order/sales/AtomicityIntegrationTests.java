package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import io.outboxcdc.order.web.ProblemTypes;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: the order rows and the outbox row commit together or not at all. Failures are injected by the
 * database itself (triggers the application role cannot see or create), so the code under test is exactly
 * what runs in production.
 */
class AtomicityIntegrationTests extends OrderAppIntegrationTestSupport {

    private static final String DOOMED = "c-doomed";

    @AfterEach
    void removeFaults() {
        asSuperuser("DROP TRIGGER IF EXISTS fail_at_commit ON orders",
                "DROP TRIGGER IF EXISTS fail_outbox_insert ON outbox",
                "DROP FUNCTION IF EXISTS inject_failure()");
    }

    @Test
    void aFailureAtCommitAfterAllInsertsLeavesNeitherOrderNorOutboxRow() {
        // A deferred constraint trigger runs at COMMIT, after the order, its items and the outbox row were
        // inserted: the last possible moment before the transaction becomes durable.
        asSuperuser(failureFunction(), """
                CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON orders
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                WHEN (NEW.customer_id = 'c-doomed') EXECUTE FUNCTION inject_failure()""");

        assertFailsAndLeavesNothing();
    }

    @Test
    void aFailureInsertingTheOutboxRowRollsBackTheOrderInsertedBeforeIt() {
        asSuperuser(failureFunction(), """
                CREATE TRIGGER fail_outbox_insert BEFORE INSERT ON outbox FOR EACH ROW
                WHEN (NEW.payload->>'customerId' = 'c-doomed') EXECUTE FUNCTION inject_failure()""");

        assertFailsAndLeavesNothing();
    }

    @Test
    void aCommitLeavesBothTheOrderAndItsOutboxRow() {
        String customer = uniqueCustomer("c-commit");

        HttpResponse<String> response = postJson("/orders", orderJson(customer));

        assertThat(response.statusCode()).isEqualTo(201);
        String id = body(response).get("id").asString();
        assertThat(count("SELECT count(*) FROM orders WHERE id = ?::uuid", id)).isOne();
        assertThat(count("SELECT count(*) FROM order_items WHERE order_id = ?::uuid", id)).isOne();
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ?", id)).isOne();
    }

    private void assertFailsAndLeavesNothing() {
        var before = rowCounts();

        HttpResponse<String> response = postJson("/orders", orderJson(DOOMED), "Idempotency-Key", "doomed-key");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(body(response).get("type").asString()).isEqualTo(ProblemTypes.INTERNAL_ERROR.toString());
        assertThat(response.body()).doesNotContain("injected", "Exception");
        assertThat(rowCounts()).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = ?", DOOMED)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE payload->>'customerId' = ?", DOOMED)).isZero();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'doomed-key'")).isZero();
    }

    private static String failureFunction() {
        return """
                CREATE OR REPLACE FUNCTION inject_failure() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'injected failure';
                END $$""";
    }
}
