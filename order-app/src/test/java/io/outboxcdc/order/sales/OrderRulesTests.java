package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

// Issue 16: the order aggregate's rules without a database (mutation testing target): the total, the event
// sequence that every emitted event moves by one, and cancel being idempotent.
class OrderRulesTests {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private static Order twoLines() {
        return Order.place(UUID.randomUUID(), "c-1", "EUR",
                List.of(new OrderLine("BOOK-1", 2, new BigDecimal("24.99")), new OrderLine("PEN-9", 3, new BigDecimal("1.5"))),
                T0);
    }

    @Test
    void aPlacedOrderIsCreatedAsEventOneWithTheSumOfItsLines() {
        Order order = twoLines();
        assertThat(order.status()).isEqualTo(OrderStatus.CREATED);
        assertThat(order.eventSequence()).isEqualTo(1);
        assertThat(order.total()).isEqualTo(new BigDecimal("54.48"));
        assertThat(order.total().scale()).isEqualTo(2);
        assertThat(order.createdAt()).isEqualTo(T0);
        assertThat(order.updatedAt()).isEqualTo(T0);
        assertThat(order.customerId()).isEqualTo("c-1");
        assertThat(order.currency()).isEqualTo("EUR");
        assertThat(order.lines()).extracting(OrderLine::sku).containsExactly("BOOK-1", "PEN-9");
    }

    @Test
    void anOrderKeepsTheIdItWasPlacedWith() {
        UUID id = UUID.randomUUID();
        assertThat(Order.place(id, "c-1", "EUR", List.of(new OrderLine("A", 1, BigDecimal.ONE)), T0).id()).isEqualTo(id);
    }

    @Test
    void theLinesCannotBeChangedFromOutside() {
        Order order = twoLines();
        assertThatThrownBy(() -> order.lines().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anOrderWithoutLinesIsRefused() {
        assertThatThrownBy(() -> Order.place(UUID.randomUUID(), "c-1", "EUR", List.of(), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one line");
    }

    @Test
    void aZeroPriceLineGivesAZeroTotalWithScaleTwo() {
        Order order = Order.place(UUID.randomUUID(), "c-1", "JPY", List.of(new OrderLine("FREE", 1, BigDecimal.ZERO)), T0);
        assertThat(order.total()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void cancellingMovesTheSequenceByOneAndStampsTheTime() {
        Order order = twoLines();
        assertThat(order.cancel(T1)).isTrue();
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.eventSequence()).isEqualTo(2);
        assertThat(order.updatedAt()).isEqualTo(T1);
        assertThat(order.createdAt()).isEqualTo(T0);
        assertThat(order.total()).as("cancelling keeps the total").isEqualTo(new BigDecimal("54.48"));
    }

    @Test
    void cancellingTwiceChangesNothingAndAsksForNoEvent() {
        Order order = twoLines();
        order.cancel(T1);
        assertThat(order.cancel(T1.plusSeconds(5))).isFalse();
        assertThat(order.eventSequence()).isEqualTo(2);
        assertThat(order.updatedAt()).isEqualTo(T1);
    }

    @Test
    void aLineTotalIsQuantityTimesUnitPriceNormalisedToCents() {
        OrderLine line = new OrderLine("BOOK-1", 3, new BigDecimal("24.9"));
        assertThat(line.unitPrice()).isEqualTo(new BigDecimal("24.90"));
        assertThat(line.quantity()).isEqualTo(3);
        assertThat(line.lineTotal()).isEqualTo(new BigDecimal("74.70"));
    }
}
