package io.outboxcdc.order.outbox;

import io.outboxcdc.order.web.ProblemTypes;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The event a request would write is larger than the topic accepts: refused before anything is written, since
 * a committed outbox row that Kafka refuses could only be moved aside by an operator later.
 */
public class EventTooLargeException extends ErrorResponseException {

    public EventTooLargeException(String eventType, long size, long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, problem(eventType, size, limit), null);
    }

    private static ProblemDetail problem(String eventType, long size, long limit) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The " + eventType + " event of this request would take up to " + size
                        + " bytes on Kafka; the topic accepts at most " + limit + " (fewer or shorter items fit)");
        problem.setType(ProblemTypes.EVENT_TOO_LARGE);
        problem.setTitle("Event too large");
        return problem;
    }
}
