package io.outboxcdc.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

// Issue 3: the outbox writer against the real table.
class OutboxWriterIntegrationTests extends OrderAppIntegrationTestSupport {

    @Autowired
    OutboxWriter writer;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void writesOneRowWithPayloadAndTraceparentInTheCallersTransaction() {
        UUID eventId = UUID.randomUUID();
        String aggregateId = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        transactions.executeWithoutResult(tx -> writer.write(new OutboxMessage(eventId, "order", aggregateId, 1,
                "OrderCreated", Map.of("schemaVersion", 1, "orderId", aggregateId), at, traceparent)));

        Map<String, Object> row = jdbc.queryForMap("SELECT id, aggregate_type, aggregate_id, aggregate_sequence, type, "
                + "payload->>'orderId' AS order_id, (payload->>'schemaVersion')::int AS version, "
                + "headers->>'traceparent' AS traceparent, created_at FROM outbox WHERE id = ?", eventId);
        assertThat(row).containsEntry("aggregate_type", "order").containsEntry("aggregate_id", aggregateId)
                .containsEntry("aggregate_sequence", 1L).containsEntry("type", "OrderCreated")
                .containsEntry("order_id", aggregateId).containsEntry("version", 1)
                .containsEntry("traceparent", traceparent);
        assertThat(((java.sql.Timestamp) row.get("created_at")).toInstant()).isEqualTo(at);
    }

    @Test
    void aRolledBackTransactionLeavesNoRow() {
        UUID eventId = UUID.randomUUID();

        transactions.executeWithoutResult(tx -> {
            writer.write(message(eventId, UUID.randomUUID().toString(), 1));
            tx.setRollbackOnly();
        });

        assertThat(count("SELECT count(*) FROM outbox WHERE id = ?", eventId)).isZero();
    }

    @Test
    void refusesToWriteOutsideATransaction() {
        assertThatThrownBy(() -> writer.write(message(UUID.randomUUID(), UUID.randomUUID().toString(), 1)))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void aSecondEventWithTheSameAggregateSequenceIsRejected() {
        String aggregateId = UUID.randomUUID().toString();
        transactions.executeWithoutResult(tx -> writer.write(message(UUID.randomUUID(), aggregateId, 1)));

        assertThatThrownBy(() -> transactions.executeWithoutResult(
                tx -> writer.write(message(UUID.randomUUID(), aggregateId, 1))))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ?", aggregateId)).isOne();
    }

    private static OutboxMessage message(UUID eventId, String aggregateId, long sequence) {
        return new OutboxMessage(eventId, "order", aggregateId, sequence, "OrderCreated", Map.of("k", "v"),
                Instant.now(), null);
    }
}
