package io.outboxcdc.order.idempotency;

import io.outboxcdc.order.web.ProblemTypes;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The key was first used with a different request body. */
public class IdempotencyKeyReusedException extends ErrorResponseException {

    public IdempotencyKeyReusedException() {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "This Idempotency-Key was already used with a different request body");
        problem.setType(ProblemTypes.IDEMPOTENCY_KEY_REUSED);
        problem.setTitle("Idempotency-Key reused");
        return problem;
    }
}
