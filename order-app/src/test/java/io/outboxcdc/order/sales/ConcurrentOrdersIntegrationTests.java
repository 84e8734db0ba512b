package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

// Issue 3: concurrency never breaks "one order, one outbox row" nor the Idempotency-Key.
class ConcurrentOrdersIntegrationTests extends OrderAppIntegrationTestSupport {

    @Test
    void twoHundredConcurrentPostsCreateTwoHundredOrdersAndTwoHundredOutboxRows() throws Exception {
        String customer = uniqueCustomer("c-load");

        List<HttpResponse<String>> responses = concurrently(200, () -> postJson("/orders", orderJson(customer)));

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201);
        assertThat(responses).extracting(r -> body(r).get("id").asString()).doesNotHaveDuplicates();
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = ?", customer)).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM outbox o JOIN orders ord ON o.aggregate_id = ord.id::text "
                + "WHERE ord.customer_id = ? AND o.type = 'OrderCreated' AND o.aggregate_sequence = 1", customer))
                .isEqualTo(200);
    }

    @Test
    void fiftyConcurrentPostsWithOneIdempotencyKeyCreateOneOrderAndOneEvent() throws Exception {
        String customer = uniqueCustomer("c-idem-load");
        String key = "idem-" + UUID.randomUUID();

        List<HttpResponse<String>> responses = concurrently(50,
                () -> postJson("/orders", orderJson(customer), "Idempotency-Key", key));

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 201);
        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        assertThat(responses).extracting(r -> body(r).get("id").asString()).containsOnly(
                body(responses.get(0)).get("id").asString());
        assertThat(count("SELECT count(*) FROM orders WHERE customer_id = ?", customer)).isOne();
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ?",
                body(responses.get(0)).get("id").asString())).isOne();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", key)).isOne();
    }

    /** Runs n calls at once: every thread waits at a gate that opens when all are ready. */
    private static List<HttpResponse<String>> concurrently(int n, Supplier<HttpResponse<String>> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> futures = IntStream.range(0, n)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        ready.countDown();
                        await(go);
                        return call.get();
                    }, pool)).toList();
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
