package io.outboxcdc.order.sales;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.ListIndexBase;

/**
 * The order aggregate. {@code eventSequence} is the {@code aggregate_sequence} of the last event written for it,
 * so every state change that emits an event moves it by exactly one.
 */
@Entity(name = "PurchaseOrder") // "Order" is a JPQL keyword
@Table(name = "orders")
public class Order {

    @Id
    private UUID id;

    @Column(name = "customer_id", nullable = false, length = 64)
    private String customerId;

    @Column(name = "currency", nullable = false, length = 3)
    private String currency;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private OrderStatus status;

    @Column(name = "total", nullable = false, precision = 19, scale = 2)
    private BigDecimal total;

    @Column(name = "event_sequence", nullable = false)
    private long eventSequence;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    // null until persisted: tells Spring Data that an order with an assigned id is new (persist, not merge).
    @Version
    private Long version;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "order_items", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    @ListIndexBase(1)
    @BatchSize(size = 100)
    private List<OrderLine> lines = new ArrayList<>();

    protected Order() {
        // for JPA
    }

    private Order(UUID id, String customerId, String currency, List<OrderLine> lines, Instant now) {
        this.id = id;
        this.customerId = customerId;
        this.currency = currency;
        this.status = OrderStatus.CREATED;
        this.lines = new ArrayList<>(lines);
        this.total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
        this.eventSequence = 1;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A new order; its creation is event 1. */
    public static Order place(UUID id, String customerId, String currency, List<OrderLine> lines, Instant now) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        return new Order(id, customerId, currency, lines, now);
    }

    /** @return true if the order changed (and an event must be written); false if it was cancelled already. */
    public boolean cancel(Instant now) {
        if (status == OrderStatus.CANCELLED) {
            return false;
        }
        status = OrderStatus.CANCELLED;
        eventSequence++;
        updatedAt = now;
        return true;
    }

    public UUID id() {
        return id;
    }

    public String customerId() {
        return customerId;
    }

    public String currency() {
        return currency;
    }

    public OrderStatus status() {
        return status;
    }

    public BigDecimal total() {
        return total;
    }

    public long eventSequence() {
        return eventSequence;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public List<OrderLine> lines() {
        return Collections.unmodifiableList(lines);
    }
}
