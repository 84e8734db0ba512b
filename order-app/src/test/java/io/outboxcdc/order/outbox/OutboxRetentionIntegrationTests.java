package io.outboxcdc.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

// Issue 3: the cleanup strategy deletes old rows in batches and cannot lose an event.
class OutboxRetentionIntegrationTests extends OrderAppIntegrationTestSupport {

    @Autowired
    OutboxRetention retention;

    @Autowired
    OutboxProperties properties;

    @Test
    void deletesOnlyRowsOlderThanTheRetentionInBatches() {
        String aggregate = "retention-" + UUID.randomUUID();
        Instant old = Instant.now().minus(properties.retention()).minus(Duration.ofHours(1));
        int oldRows = properties.cleanupBatchSize() * 2 + 5; // three DELETE statements
        insertRows(aggregate, oldRows, old);
        insertRows(aggregate + "-fresh", 3, Instant.now());

        long deleted = retention.deleteExpired();

        assertThat(deleted).isGreaterThanOrEqualTo(oldRows);
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ?", aggregate)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ?", aggregate + "-fresh")).isEqualTo(3);
    }

    @Test
    void deletingRowsDoesNotTakeTheirInsertsOutOfTheReplicationSlot() {
        String aggregate = "retention-wal-" + UUID.randomUUID();
        long insertsBefore = insertsRetainedBySlot();
        insertRows(aggregate, 5, Instant.now().minus(Duration.ofDays(30)));

        retention.deleteExpired();

        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ?", aggregate)).isZero();
        // The relay reads these inserts from the WAL the slot retains, whatever happened to the rows since.
        assertThat(insertsRetainedBySlot()).isEqualTo(insertsBefore + 5);
    }

    private void insertRows(String aggregateId, int n, Instant createdAt) {
        jdbc.batchUpdate("INSERT INTO outbox (id, aggregate_type, aggregate_id, aggregate_sequence, type, payload, "
                + "created_at) VALUES (?, 'order', ?, ?, 'OrderCreated', '{}', ?)",
                java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> new Object[] {UUID.randomUUID(),
                        aggregateId, i, Timestamp.from(createdAt)}).toList());
    }

    /** Peeks (does not consume) the slot: counts pgoutput insert messages ('I') for published tables. */
    private static long insertsRetainedBySlot() {
        return superuserCount("SELECT count(*) FROM pg_logical_slot_peek_binary_changes('"
                + INFRA.layout().replicationSlot() + "', NULL, NULL, 'proto_version', '1', 'publication_names', '"
                + INFRA.layout().publication() + "') WHERE get_byte(data, 0) = 73");
    }
}
