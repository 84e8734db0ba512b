package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import io.outboxcdc.order.db.RoundTripCountingSocketFactory;
import io.outboxcdc.order.idempotency.IdempotencyKey;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 14: a created order costs at most two database round trips (idempotency claim, order, lines, outbox
 * event, commit), counted on the wire by {@link RoundTripCountingSocketFactory}. The service runs on the test's
 * thread, so the count is exactly this transaction's; the web layer never touches the database.
 */
class WritePathIntegrationTests extends OrderAppIntegrationTestSupport {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Autowired
    OrderService service;

    @ParameterizedTest(name = "{0} lines")
    @ValueSource(ints = {1, 3, CreateOrderRequest.MAX_ITEMS})
    void aNewOrderWithAnIdempotencyKeyCostsTwoRoundTrips(int lines) {
        // Past the driver's prepareThreshold (5): the statement is then server-prepared, as under load.
        for (int i = 0; i < 7; i++) {
            assertThat(roundTrips(() -> service.create(request(lines), newKey(), TRACEPARENT).created())).isEqualTo(2);
        }
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id IN "
                + "(SELECT id::text FROM orders WHERE customer_id = ?)", customer(lines))).isGreaterThanOrEqualTo(7);
    }

    @Test
    void aNewOrderWithoutAKeyCostsTwoRoundTrips() {
        for (int i = 0; i < 7; i++) {
            assertThat(roundTrips(() -> service.create(request(2), null, null).created())).isEqualTo(2);
        }
    }

    @Test
    void everyRowOfTheOrderIsWrittenByThatOneStatement() {
        IdempotencyKey key = newKey();
        OrderView order = service.create(request(3), key, TRACEPARENT).order();

        String id = order.id().toString();
        assertThat(count("SELECT count(*) FROM orders WHERE id = ?::uuid AND total = 6.00 AND version = 0", id))
                .isOne();
        assertThat(jdbc.queryForList("SELECT line_no FROM order_items WHERE order_id = ?::uuid ORDER BY line_no",
                Integer.class, id)).containsExactly(1, 2, 3);
        assertThat(jdbc.queryForList("SELECT sku FROM order_items WHERE order_id = ?::uuid ORDER BY line_no",
                String.class, id)).containsExactly("SKU-0", "SKU-1", "SKU-2");
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ? AND order_id = ?::uuid",
                key.value(), id)).isOne();
        assertThat(jdbc.queryForObject("SELECT headers->>'traceparent' FROM outbox WHERE aggregate_id = ?",
                String.class, id)).isEqualTo(TRACEPARENT);
    }

    /** Runs {@code create} twice back to back so the pool hands out a connection it has just used. */
    private static long roundTrips(java.util.function.BooleanSupplier create) {
        assertThat(create.getAsBoolean()).isTrue();
        long before = RoundTripCountingSocketFactory.ofCurrentThread();
        assertThat(create.getAsBoolean()).isTrue();
        return RoundTripCountingSocketFactory.ofCurrentThread() - before;
    }

    private static CreateOrderRequest request(int lines) {
        return new CreateOrderRequest(customer(lines), "EUR", IntStream.range(0, lines)
                .mapToObj(i -> new CreateOrderRequest.Item("SKU-" + i, i + 1, new BigDecimal("1.00"))).toList());
    }

    private static String customer(int lines) {
        return "c-write-path-" + lines;
    }

    private static IdempotencyKey newKey() {
        return new IdempotencyKey("write-path-" + UUID.randomUUID());
    }
}
