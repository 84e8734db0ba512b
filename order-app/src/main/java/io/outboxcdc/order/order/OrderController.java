package io.outboxcdc.order.order;

import io.outboxcdc.order.idempotency.IdempotencyKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
public class OrderController {

    static final String TRACEPARENT = "traceparent";
    static final int MAX_PAGE_SIZE = 100;

    private final OrderService service;

    public OrderController(OrderService service) {
        this.service = service;
    }

    @Operation(summary = "Create an order", description = "201 with the new order; with an Idempotency-Key, a "
            + "repeat of the same body returns the original order with 200, a different body 422.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<OrderView> create(@Valid @RequestBody CreateOrderRequest request,
            @Parameter(description = "1-128 printable ASCII characters")
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @RequestHeader(name = TRACEPARENT, required = false) String traceparent) {
        OrderCreation creation = service.create(request, IdempotencyKey.ofHeader(idempotencyKey), traceparent);
        OrderView order = creation.order();
        return ResponseEntity.status(creation.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/orders/" + order.id()))
                .body(order);
    }

    @Operation(summary = "Get an order")
    @GetMapping("/{id}")
    public OrderView get(@PathVariable("id") UUID id) {
        return service.find(id);
    }

    @Operation(summary = "A customer's orders, newest first")
    @GetMapping
    public OrderPage list(@RequestParam("customerId") @NotBlank @Size(max = 64) String customerId,
            @RequestParam(name = "page", defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @RequestParam(name = "size", defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int size) {
        return service.findByCustomer(customerId, page, size);
    }

    @Operation(summary = "Cancel an order", description = "Idempotent: cancelling a cancelled order returns it "
            + "unchanged and writes no second event.")
    @PostMapping("/{id}/cancel")
    public OrderView cancel(@PathVariable("id") UUID id,
            @RequestHeader(name = TRACEPARENT, required = false) String traceparent) {
        return service.cancel(id, traceparent);
    }
}
