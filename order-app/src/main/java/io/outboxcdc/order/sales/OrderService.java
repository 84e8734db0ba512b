package io.outboxcdc.order.sales;

import io.outboxcdc.order.idempotency.IdempotencyKey;
import io.outboxcdc.order.idempotency.IdempotencyKeyReusedException;
import io.outboxcdc.order.idempotency.IdempotencyKeys;
import io.outboxcdc.order.outbox.OutboxRow;
import io.outboxcdc.order.outbox.OutboxWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every state change is one transaction that writes the order rows and exactly one outbox row; a change that
 * does not happen (a repeated cancel, an idempotent replay) writes nothing.
 */
@Service
public class OrderService {

    private final OrderRepository orders;
    private final PlaceOrderStatement placeOrder;
    private final OutboxWriter outbox;
    private final IdempotencyKeys idempotencyKeys;
    private final OrderMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public OrderService(OrderRepository orders, PlaceOrderStatement placeOrder, OutboxWriter outbox,
            IdempotencyKeys idempotencyKeys, OrderMetrics metrics) {
        this.orders = orders;
        this.placeOrder = placeOrder;
        this.outbox = outbox;
        this.idempotencyKeys = idempotencyKeys;
        this.metrics = metrics;
    }

    /**
     * Two round trips for a new order: one statement writes the key claim, the order, its lines and its event
     * ({@link PlaceOrderStatement}), then COMMIT. A live key costs one more read and writes nothing.
     *
     * @param idempotencyKey null when the client sent none
     * @param traceparent the request's W3C traceparent, or null
     */
    @Transactional
    public OrderCreation create(CreateOrderRequest request, IdempotencyKey idempotencyKey, String traceparent) {
        Instant now = now();
        Order order = Order.place(UUID.randomUUID(), request.customerId(), request.currency(),
                request.items().stream().map(i -> new OrderLine(i.sku(), i.quantity(), i.unitPrice())).toList(), now);
        OutboxRow event = outbox.toRow(OrderEvents.created(order, traceparent));
        String requestHash = idempotencyKey == null ? null : RequestFingerprint.of(request);
        Instant expiredBefore = idempotencyKeys.expiredBefore(now);
        // A second try only when the live key was deleted as expired between the two statements.
        for (int attempt = 0; attempt < 2; attempt++) {
            if (placeOrder.insert(order, event, idempotencyKey, requestHash, expiredBefore)) {
                metrics.createdAfterCommit();
                return new OrderCreation(OrderView.of(order), true);
            }
            // The key is live: the statement waited for its first transaction to end, so this read sees its row.
            Optional<IdempotencyKeys.Claim> first = idempotencyKeys.find(idempotencyKey);
            if (first.isPresent()) {
                if (!first.get().requestHash().equals(requestHash)) {
                    throw new IdempotencyKeyReusedException();
                }
                return new OrderCreation(OrderView.of(load(first.get().orderId())), false);
            }
        }
        throw new IllegalStateException("Idempotency-Key neither claimable nor found");
    }

    /** Cancelling a cancelled order changes nothing and writes no event. */
    @Transactional
    public OrderView cancel(UUID id, String traceparent) {
        Order order = orders.findByIdForUpdate(id).orElseThrow(() -> new OrderNotFoundException(id));
        if (order.cancel(now())) {
            outbox.write(OrderEvents.cancelled(order, traceparent));
            metrics.cancelledAfterCommit();
        }
        return OrderView.of(order);
    }

    @Transactional(readOnly = true)
    public OrderView find(UUID id) {
        return OrderView.of(load(id));
    }

    /** Newest first; ties on created_at are broken by id so that pages never overlap. */
    @Transactional(readOnly = true)
    public OrderPage findByCustomer(String customerId, int page, int size) {
        Page<Order> result = orders.findByCustomerId(customerId,
                PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"))));
        return new OrderPage(result.getContent().stream().map(OrderView::of).toList(), page, size,
                result.getTotalElements(), result.getTotalPages());
    }

    private Order load(UUID id) {
        return orders.findById(id).orElseThrow(() -> new OrderNotFoundException(id));
    }

    // PostgreSQL keeps microseconds: truncating here makes the response, the event and the row agree.
    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
