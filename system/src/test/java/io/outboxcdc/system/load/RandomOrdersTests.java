package io.outboxcdc.system.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Currency;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomOrdersTests {

    @Test
    void everyOrderIsOneOrderAppAccepts() {
        Random random = new Random(7);
        IntStream.range(0, 2_000).mapToObj(i -> RandomOrders.next(random, "c-" + i)).forEach(order -> {
            assertThat(order.lines()).hasSizeBetween(1, 3);
            int digits = Currency.getInstance(order.currency()).getDefaultFractionDigits();
            order.lines().forEach(line -> {
                assertThat(line.unitPrice().scale()).isEqualTo(digits);
                assertThat(line.unitPrice().signum()).isPositive();
                assertThat(line.quantity()).isBetween(1, 5);
                assertThat(line.sku()).matches("SKU-\\d{1,3}");
            });
        });
    }

    @Test
    void theSameSeedGivesTheSameOrders() {
        assertThat(RandomOrders.next(new Random(42), "c").json()).isEqualTo(RandomOrders.next(new Random(42), "c").json());
    }

    @Test
    void theBodyCarriesTheLinesAndTheTotalAddsThemUp() {
        RandomOrders.Order order = new RandomOrders.Order("c-1", "EUR", java.util.List.of(
                new RandomOrders.Line("SKU-1", 2, new java.math.BigDecimal("24.99")),
                new RandomOrders.Line("SKU-2", 1, new java.math.BigDecimal("0.02"))));

        assertThat(order.json()).isEqualTo("{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"items\":["
                + "{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":24.99},"
                + "{\"sku\":\"SKU-2\",\"quantity\":1,\"unitPrice\":0.02}]}");
        assertThat(order.total()).isEqualByComparingTo("50.00");
    }
}
