package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;

// Issue 16: many cancels of one order at the same instant write exactly one OrderCancelled event; every caller
// gets the cancelled order (cancel is idempotent), none gets a conflict or an error.
class ConcurrentCancelsIntegrationTests extends OrderAppIntegrationTestSupport {

    private static final int CALLERS = 32;

    @RepeatedTest(3)
    void concurrentCancelsOfOneOrderWriteOneEvent() throws Exception {
        HttpResponse<String> created = postJson("/orders", orderJson(uniqueCustomer("c-cancel-race")));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = body(created).get("id").asString();

        List<HttpResponse<String>> responses = atOnce(CALLERS, () -> postJson("/orders/" + id + "/cancel", ""));

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses).extracting(r -> body(r).get("status").asString()).containsOnly("CANCELLED");
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ? AND type = 'OrderCancelled'", id))
                .as("OrderCancelled events").isOne();
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id = ?", id)).isEqualTo(2);
        assertThat(count("SELECT max(aggregate_sequence) FROM outbox WHERE aggregate_id = ?", id)).isEqualTo(2);
        assertThat(count("SELECT event_sequence FROM orders WHERE id = ?::uuid", id))
                .as("the order's last event sequence").isEqualTo(2);
    }

    /** Runs n calls at once: every thread waits at a gate that opens when all are ready. */
    private static List<HttpResponse<String>> atOnce(int n, java.util.function.Supplier<HttpResponse<String>> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> futures = IntStream.range(0, n)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        ready.countDown();
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
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
}
