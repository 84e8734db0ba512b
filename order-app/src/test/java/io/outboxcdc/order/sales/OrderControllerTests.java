package io.outboxcdc.order.sales;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.outboxcdc.order.idempotency.IdempotencyKey;
import io.outboxcdc.order.web.ProblemTypes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

// Issue 3: the web layer alone (validation, status codes, problem details) with the service mocked.
@WebMvcTest(OrderController.class)
class OrderControllerTests {

    private static final String BODY = """
            {"customerId":"c-42","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":24.99}]}""";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    OrderService service;

    private final UUID id = UUID.randomUUID();
    private final OrderView order = new OrderView(id, "c-42", "EUR", OrderStatus.CREATED,
            List.of(new OrderView.Item("BOOK-1", 2, new BigDecimal("24.99"))), new BigDecimal("49.98"),
            Instant.parse("2025-01-02T03:04:05.123456Z"));

    @Test
    void createAnswers201WithLocationAndTheOrder() throws Exception {
        given(service.create(any(), isNull(), isNull())).willReturn(new OrderCreation(order, true));

        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(BODY))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/orders/" + id))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.id").value(id.toString()))
                .andExpect(jsonPath("$.status").value("CREATED"))
                .andExpect(jsonPath("$.total").value(49.98))
                .andExpect(jsonPath("$.items[0].unitPrice").value(24.99))
                .andExpect(jsonPath("$.createdAt").value("2025-01-02T03:04:05.123456Z"));
    }

    @Test
    void anIdempotentReplayAnswers200AndPassesKeyAndTraceparentOn() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        given(service.create(any(), eq(new IdempotencyKey("k-1")), eq(traceparent)))
                .willReturn(new OrderCreation(order, false));

        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(BODY)
                        .header("Idempotency-Key", "k-1").header("traceparent", traceparent))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id.toString()));
    }

    @Test
    void anInvalidFieldIsAValidationProblemNamingItAndTheServiceIsNotCalled() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content(BODY.replace("\"quantity\":2", "\"quantity\":0")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemTypes.VALIDATION_FAILED.toString()))
                .andExpect(jsonPath("$.errors[0].field").value("items[0].quantity"))
                .andExpect(jsonPath("$.instance").value("/orders"));
        then(service).should(never()).create(any(), any(), any());
    }

    @Test
    void malformedJsonIsAMalformedRequestProblem() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"customerId\":"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemTypes.MALFORMED_REQUEST.toString()));
    }

    @Test
    void aWrongContentTypeIsA415Problem() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content(BODY))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemTypes.UNSUPPORTED_MEDIA_TYPE.toString()));
    }

    @Test
    void anInvalidIdempotencyKeyIsAValidationProblem() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(BODY)
                        .header("Idempotency-Key", "x".repeat(129)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
        then(service).should(never()).create(any(), any(), any());
    }

    @Test
    void anUnknownOrderIsA404Problem() throws Exception {
        given(service.find(id)).willThrow(new OrderNotFoundException(id));

        mvc.perform(get("/orders/{id}", id))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemTypes.ORDER_NOT_FOUND.toString()));
    }

    @Test
    void anUnknownPathIsA404AndAWrongMethodA405Problem() throws Exception {
        mvc.perform(get("/no-such-path"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemTypes.RESOURCE_NOT_FOUND.toString()));
        mvc.perform(put("/orders/{id}", id).contentType(MediaType.APPLICATION_JSON).content(BODY))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemTypes.METHOD_NOT_ALLOWED.toString()));
    }

    @Test
    void pagingPassesParametersOnAndRejectsAnOversizedPage() throws Exception {
        given(service.findByCustomer("c-42", 2, 5)).willReturn(new OrderPage(List.of(order), 2, 5, 11, 3));

        mvc.perform(get("/orders").param("customerId", "c-42").param("page", "2").param("size", "5"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[0].id").value(id.toString()))
                .andExpect(jsonPath("$.totalElements").value(11))
                .andExpect(jsonPath("$.totalPages").value(3));
        mvc.perform(get("/orders").param("customerId", "c-42").param("size", "1000"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("size"));
    }

    @Test
    void anUnexpectedFailureIsA500ProblemWithoutDetails() throws Exception {
        given(service.cancel(eq(id), any())).willThrow(new IllegalStateException("secret internals"));

        mvc.perform(post("/orders/{id}/cancel", id))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(ProblemTypes.INTERNAL_ERROR.toString()))
                .andExpect(content().string(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("secret"))));
    }
}
