package io.outboxcdc.order.sales;

import static io.outboxcdc.order.web.ApiProblems.BAD_REQUEST;
import static io.outboxcdc.order.web.ApiProblems.CONTENT_TOO_LARGE;
import static io.outboxcdc.order.web.ApiProblems.IDEMPOTENCY_KEY_REUSED;
import static io.outboxcdc.order.web.ApiProblems.INTERNAL_ERROR;
import static io.outboxcdc.order.web.ApiProblems.NOT_ACCEPTABLE;
import static io.outboxcdc.order.web.ApiProblems.ORDER_NOT_FOUND;
import static io.outboxcdc.order.web.ApiProblems.REF;
import static io.outboxcdc.order.web.ApiProblems.SERVICE_UNAVAILABLE;
import static io.outboxcdc.order.web.ApiProblems.UNSUPPORTED_MEDIA_TYPE;

import io.outboxcdc.order.idempotency.IdempotencyKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

/** The REST API; its OpenAPI annotations list every status an operation returns (see the module README). */
@RestController
@RequestMapping("/orders")
public class OrderController {

    static final String TRACEPARENT = "traceparent";
    static final int MAX_PAGE_SIZE = 100;

    /** W3C Trace Context version 00 (the layout OutboxWriter forwards; anything else is ignored). */
    static final String TRACEPARENT_PATTERN = "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";
    static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private static final String TRACEPARENT_RULE = "W3C Trace Context (version 00), stored with the event and put "
            + "on its Kafka record; a value that does not match is ignored, not refused";
    private static final String TRACEPARENT_EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final OrderService service;

    public OrderController(OrderService service) {
        this.service = service;
    }

    @Operation(summary = "Create an order", description = "201 with the new order. With an Idempotency-Key, a "
            + "repeat of the same request (same customer, currency and items, in any JSON spelling) within the key's "
            + "retention (orders.idempotency.retention, default 24 h) returns the original order with 200 and writes "
            + "nothing; a different request with the key is a 422. After the retention the key is expired: the same "
            + "request then creates a new order.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CreateOrderRequest.class),
                    examples = {
                        @ExampleObject(name = "euro", summary = "Two books in EUR", value = """
                                {"customerId":"c-42","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,\
                                "unitPrice":24.99}]}"""),
                        @ExampleObject(name = "yen", summary = "Whole yen: JPY has no minor unit", value = """
                                {"customerId":"c-43","currency":"JPY","items":[{"sku":"TEA-7","quantity":3,\
                                "unitPrice":1200},{"sku":"CUP-2","quantity":1,"unitPrice":2490}]}""")})))
    @ApiResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location",
            description = "/orders/{id} of the new order", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "200", description = "A replay: the order this Idempotency-Key created",
            headers = @Header(name = "Location", description = "/orders/{id} of that order",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "400", ref = REF + BAD_REQUEST)
    @ApiResponse(responseCode = "406", ref = REF + NOT_ACCEPTABLE)
    @ApiResponse(responseCode = "413", ref = REF + CONTENT_TOO_LARGE)
    @ApiResponse(responseCode = "415", ref = REF + UNSUPPORTED_MEDIA_TYPE)
    @ApiResponse(responseCode = "422", ref = REF + IDEMPOTENCY_KEY_REUSED)
    @ApiResponse(responseCode = "500", ref = REF + INTERNAL_ERROR)
    @ApiResponse(responseCode = "503", ref = REF + SERVICE_UNAVAILABLE)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<OrderView> create(@Valid @RequestBody CreateOrderRequest request,
            @Parameter(in = ParameterIn.HEADER, description = "Makes retries safe: 1 to 128 printable ASCII "
                    + "characters, not all spaces (a UUID is a good choice). Kept for orders.idempotency.retention "
                    + "(default 24 h); a bad value is a 400.", example = "7c1f0e3a-order-1",
                    schema = @Schema(type = "string", minLength = 1, maxLength = 128,
                            pattern = "^[\\x20-\\x7E]*[\\x21-\\x7E][\\x20-\\x7E]*$"))
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            @Parameter(in = ParameterIn.HEADER, description = TRACEPARENT_RULE, example = TRACEPARENT_EXAMPLE,
                    schema = @Schema(type = "string", pattern = TRACEPARENT_PATTERN))
            @RequestHeader(name = TRACEPARENT, required = false) String traceparent) {
        OrderCreation creation = service.create(request, IdempotencyKey.ofHeader(idempotencyKey), traceparent);
        OrderView order = creation.order();
        return ResponseEntity.status(creation.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/orders/" + order.id()))
                .body(order);
    }

    @Operation(summary = "Get an order")
    @ApiResponse(responseCode = "200", description = "The order", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "400", ref = REF + BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = REF + ORDER_NOT_FOUND)
    @ApiResponse(responseCode = "406", ref = REF + NOT_ACCEPTABLE)
    @ApiResponse(responseCode = "413", ref = REF + CONTENT_TOO_LARGE) // any request body over the limit
    @ApiResponse(responseCode = "500", ref = REF + INTERNAL_ERROR)
    @ApiResponse(responseCode = "503", ref = REF + SERVICE_UNAVAILABLE)
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderView get(@Parameter(description = "The order id (a UUID)", example = "55808954-7e36-42b2-b297-5b4b75199837",
            schema = @Schema(type = "string", format = "uuid", pattern = UUID_PATTERN))
            @PathVariable("id") UUID id) {
        return service.find(id);
    }

    @Operation(summary = "A customer's orders, newest first")
    @ApiResponse(responseCode = "200", description = "One page", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = OrderPage.class)))
    @ApiResponse(responseCode = "400", ref = REF + BAD_REQUEST)
    @ApiResponse(responseCode = "406", ref = REF + NOT_ACCEPTABLE)
    @ApiResponse(responseCode = "413", ref = REF + CONTENT_TOO_LARGE) // any request body over the limit
    @ApiResponse(responseCode = "500", ref = REF + INTERNAL_ERROR)
    @ApiResponse(responseCode = "503", ref = REF + SERVICE_UNAVAILABLE)
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderPage list(
            @Parameter(description = "Whose orders", example = "c-42",
                    schema = @Schema(type = "string", minLength = 1, maxLength = 64, pattern = "\\S"))
            @RequestParam("customerId") @NotBlank @Size(max = 64) String customerId,
            @Parameter(description = "Page number, from 0", example = "0",
                    schema = @Schema(type = "integer", format = "int32", minimum = "0", maximum = "1000000",
                            defaultValue = "0"))
            @RequestParam(name = "page", defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @Parameter(description = "Orders per page", example = "20",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
                            defaultValue = "20"))
            @RequestParam(name = "size", defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int size) {
        return service.findByCustomer(customerId, page, size);
    }

    @Operation(summary = "Cancel an order", description = "Idempotent: cancelling a cancelled order returns it "
            + "unchanged and writes no second event.")
    @ApiResponse(responseCode = "200", description = "The cancelled order", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = OrderView.class)))
    @ApiResponse(responseCode = "400", ref = REF + BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = REF + ORDER_NOT_FOUND)
    @ApiResponse(responseCode = "406", ref = REF + NOT_ACCEPTABLE)
    @ApiResponse(responseCode = "413", ref = REF + CONTENT_TOO_LARGE) // any request body over the limit
    @ApiResponse(responseCode = "500", ref = REF + INTERNAL_ERROR)
    @ApiResponse(responseCode = "503", ref = REF + SERVICE_UNAVAILABLE)
    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderView cancel(@Parameter(description = "The order id (a UUID)",
            example = "55808954-7e36-42b2-b297-5b4b75199837",
            schema = @Schema(type = "string", format = "uuid", pattern = UUID_PATTERN))
            @PathVariable("id") UUID id,
            @Parameter(in = ParameterIn.HEADER, description = TRACEPARENT_RULE, example = TRACEPARENT_EXAMPLE,
                    schema = @Schema(type = "string", pattern = TRACEPARENT_PATTERN))
            @RequestHeader(name = TRACEPARENT, required = false) String traceparent) {
        return service.cancel(id, traceparent);
    }
}
