package io.outboxcdc.bench.load;

import io.outboxcdc.system.load.RandomOrders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Random orders ({@link RandomOrders}), placed through {@code POST /orders} with a fresh Idempotency-Key. */
public final class OrderRequests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI orders;

    public OrderRequests(URI orderApp) {
        this.orders = orderApp.resolve("/orders");
    }

    /** The load command's generator ({@link RandomOrders}), for customers bench-0 … bench-96. */
    public static RandomOrders.Order randomOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return RandomOrders.next(random, "bench-" + random.nextInt(97));
    }

    /** Places one order; true if order-app answered 201/200. */
    public boolean place() {
        HttpRequest request = HttpRequest.newBuilder(orders).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(randomOrder().json())).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 201 || response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
