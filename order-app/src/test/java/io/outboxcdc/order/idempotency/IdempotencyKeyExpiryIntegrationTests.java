package io.outboxcdc.order.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 14: an Idempotency-Key protects for orders.idempotency.retention (24 h by default). After that it is
 * expired: the same request creates a new order, whether or not the cleanup job has deleted the key yet. The
 * cleanup deletes expired keys in bounded batches, like the outbox retention.
 */
class IdempotencyKeyExpiryIntegrationTests extends OrderAppIntegrationTestSupport {

    @Autowired
    IdempotencyKeyRetention retention;

    @Autowired
    IdempotencyProperties properties;

    @Test
    void aReplayAfterExpiryCreatesANewOrderAndTheKeyProtectsThatOne() {
        String key = "expiry-" + UUID.randomUUID();
        String body = orderJson(uniqueCustomer("c-expiry"));
        String first = id(postJson("/orders", body, "Idempotency-Key", key), 201);
        assertThat(id(postJson("/orders", body, "Idempotency-Key", key), 200)).isEqualTo(first);

        age(key, properties.retention().plusSeconds(1));

        String second = id(postJson("/orders", body, "Idempotency-Key", key), 201);
        assertThat(second).isNotEqualTo(first);
        assertThat(count("SELECT count(*) FROM orders WHERE id IN (?::uuid, ?::uuid)", first, second)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id IN (?, ?)", first, second)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT order_id::text FROM idempotency_keys WHERE idempotency_key = ?",
                String.class, key)).isEqualTo(second);
        assertThat(id(postJson("/orders", body, "Idempotency-Key", key), 200)).isEqualTo(second);
    }

    @Test
    void anExpiredKeyMayCarryADifferentRequest() {
        String key = "expiry-other-" + UUID.randomUUID();
        id(postJson("/orders", orderJson(uniqueCustomer("c-expiry")), "Idempotency-Key", key), 201);
        String other = orderJson(uniqueCustomer("c-expiry-other"));
        assertThat(postJson("/orders", other, "Idempotency-Key", key).statusCode()).isEqualTo(422);

        age(key, properties.retention().plusSeconds(1));

        id(postJson("/orders", other, "Idempotency-Key", key), 201);
    }

    @Test
    void aKeyInsideItsRetentionStillReplays() {
        String key = "expiry-live-" + UUID.randomUUID();
        String body = orderJson(uniqueCustomer("c-expiry"));
        String first = id(postJson("/orders", body, "Idempotency-Key", key), 201);

        age(key, properties.retention().minusMinutes(1));

        assertThat(id(postJson("/orders", body, "Idempotency-Key", key), 200)).isEqualTo(first);
    }

    @Test
    void theCleanupDeletesOnlyExpiredKeysInBatches() {
        String prefix = "cleanup-" + UUID.randomUUID() + "-";
        int expired = properties.cleanupBatchSize() * 2 + 5; // three DELETE statements
        insertKeys(prefix + "old-", expired, Instant.now().minus(properties.retention()).minusSeconds(60));
        insertKeys(prefix + "fresh-", 3, Instant.now());

        long deleted = retention.deleteExpired();

        assertThat(deleted).isGreaterThanOrEqualTo(expired);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key LIKE ?", prefix + "old-%"))
                .isZero();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key LIKE ?", prefix + "fresh-%"))
                .isEqualTo(3);
    }

    private void age(String key, Duration age) {
        assertThat(jdbc.update("UPDATE idempotency_keys SET created_at = ? WHERE idempotency_key = ?",
                Timestamp.from(Instant.now().minus(age)), key)).isOne();
    }

    private void insertKeys(String prefix, int n, Instant createdAt) {
        jdbc.batchUpdate("INSERT INTO idempotency_keys (idempotency_key, request_hash, order_id, created_at) "
                + "VALUES (?, ?, ?, ?)", IntStream.range(0, n).mapToObj(i -> new Object[] {prefix + i, "0".repeat(64),
                        UUID.randomUUID(), Timestamp.from(createdAt)}).toList());
    }

    private String id(HttpResponse<String> response, int expectedStatus) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return body(response).get("id").asString();
    }
}
