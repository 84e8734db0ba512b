package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.order.OrderAppIntegrationTestSupport;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.transaction.support.TransactionTemplate;

// Issue 3: the JPA mapping against the real schema (ddl-auto is off: the migrations are the contract).
class OrderRepositoryIntegrationTests extends OrderAppIntegrationTestSupport {

    @Autowired
    OrderRepository orders;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void savesAndReloadsAnOrderWithItsLinesInOrder() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String customer = uniqueCustomer("c-repo");

        transactions.executeWithoutResult(tx -> orders.save(Order.place(id, customer, "USD", List.of(
                new OrderLine("B", 3, new BigDecimal("0.1")), new OrderLine("A", 1, new BigDecimal("10"))), now)));

        Order loaded = transactions.execute(tx -> {
            Order o = orders.findById(id).orElseThrow();
            o.lines().size();
            return o;
        });
        assertThat(loaded.customerId()).isEqualTo(customer);
        assertThat(loaded.currency()).isEqualTo("USD");
        assertThat(loaded.status()).isEqualTo(OrderStatus.CREATED);
        assertThat(loaded.total()).isEqualByComparingTo("10.30");
        assertThat(loaded.eventSequence()).isOne();
        assertThat(loaded.createdAt()).isEqualTo(now);
        assertThat(loaded.lines()).extracting(OrderLine::sku).containsExactly("B", "A");
        assertThat(jdbc.queryForList("SELECT line_no FROM order_items WHERE order_id = ? ORDER BY line_no",
                Integer.class, id)).containsExactly(1, 2);
    }

    @Test
    void cancellingThroughTheLockedReadUpdatesStatusSequenceAndVersion() {
        UUID id = UUID.randomUUID();
        transactions.executeWithoutResult(tx -> orders.save(Order.place(id, "c-repo", "EUR",
                List.of(new OrderLine("A", 1, BigDecimal.ONE)), Instant.now())));

        transactions.executeWithoutResult(tx -> orders.findByIdForUpdate(id).orElseThrow().cancel(Instant.now()));

        assertThat(jdbc.queryForMap("SELECT status, event_sequence, version FROM orders WHERE id = ?", id))
                .containsEntry("status", "CANCELLED").containsEntry("event_sequence", 2L)
                .containsEntry("version", 1L);
    }

    @Test
    void findsACustomersOrdersByPage() {
        String customer = uniqueCustomer("c-repo-page");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < 5; i++) {
            Instant at = t0.plusSeconds(i);
            transactions.executeWithoutResult(tx -> orders.save(Order.place(UUID.randomUUID(), customer, "EUR",
                    List.of(new OrderLine("A", 1, BigDecimal.ONE)), at)));
        }

        Page<Order> page = transactions.execute(tx -> orders.findByCustomerId(customer,
                PageRequest.of(1, 2, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")))));

        assertThat(page.getTotalElements()).isEqualTo(5);
        assertThat(page.getContent()).extracting(Order::createdAt).containsExactly(t0.plusSeconds(2),
                t0.plusSeconds(1));
    }
}
