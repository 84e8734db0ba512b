package io.outboxcdc.bench.load;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Random orders of 1–3 lines, placed through {@code POST /orders} with a fresh Idempotency-Key. */
public final class OrderRequests {

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF"};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI orders;

    public OrderRequests(URI orderApp) {
        this.orders = orderApp.resolve("/orders");
    }

    /** One order line: sku, quantity, unit price. */
    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }

    /** An order as both the REST body and the plain-JDBC baseline write it. */
    public record Order(String customerId, String currency, List<Line> lines) {

        public BigDecimal total() {
            return lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        String json() {
            StringBuilder items = new StringBuilder();
            for (Line line : lines) {
                items.append(items.length() == 0 ? "" : ",").append(String.format(
                        "{\"sku\":\"%s\",\"quantity\":%d,\"unitPrice\":%s}", line.sku(), line.quantity(),
                        line.unitPrice().toPlainString()));
            }
            return String.format("{\"customerId\":\"%s\",\"currency\":\"%s\",\"items\":[%s]}", customerId, currency,
                    items);
        }
    }

    public static Order randomOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Line> lines = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            lines.add(new Line("SKU-" + random.nextInt(500), 1 + random.nextInt(5),
                    BigDecimal.valueOf(100 + random.nextInt(9_900), 2)));
        }
        return new Order("bench-" + random.nextInt(97), CURRENCIES[random.nextInt(CURRENCIES.length)], lines);
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
