package io.outboxcdc.order.idempotency;

import io.outboxcdc.order.web.FieldError;
import io.outboxcdc.order.web.ProblemTypes;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

public class InvalidIdempotencyKeyException extends ErrorResponseException {

    private static final String MESSAGE = "must be 1 to 128 printable ASCII characters";

    public InvalidIdempotencyKeyException() {
        super(HttpStatus.BAD_REQUEST, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                IdempotencyKey.HEADER + ": " + MESSAGE);
        problem.setType(ProblemTypes.VALIDATION_FAILED);
        problem.setTitle("Validation failed");
        problem.setProperty("errors", List.of(new FieldError(IdempotencyKey.HEADER, MESSAGE)));
        return problem;
    }
}
