package io.outboxcdc.system.load;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Random;

/**
 * The one generator of random orders, for the load command and the benchmarks: 1–3 lines of 500 SKUs, in five
 * currencies, unit prices that fit the currency's minor unit (order-app refuses fractions of it: whole yen for JPY).
 * A seeded {@link Random} gives the same orders again.
 */
public final class RandomOrders {

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF", "JPY"};

    private RandomOrders() {
    }

    /** One order line: sku, quantity, unit price. */
    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }

    /** An order as the REST body (and the benchmark's plain-JDBC baseline) write it. */
    public record Order(String customerId, String currency, List<Line> lines) {

        public BigDecimal total() {
            return lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        /** The body of {@code POST /orders}. */
        public String json() {
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

    public static Order next(Random random, String customerId) {
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        int fractionDigits = Currency.getInstance(currency).getDefaultFractionDigits();
        int count = 1 + random.nextInt(3);
        List<Line> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BigDecimal price = BigDecimal.valueOf(100 + random.nextInt(9_900), fractionDigits);
            String sku = "SKU-" + random.nextInt(500);
            lines.add(new Line(sku, 1 + random.nextInt(5), price));
        }
        return new Order(customerId, currency, List.copyOf(lines));
    }
}
