package io.outboxcdc.order.sales;

import io.outboxcdc.order.web.ProblemTypes;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

public class OrderNotFoundException extends ErrorResponseException {

    public OrderNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(UUID id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No order with id " + id);
        problem.setType(ProblemTypes.ORDER_NOT_FOUND);
        problem.setTitle("Order not found");
        return problem;
    }
}
