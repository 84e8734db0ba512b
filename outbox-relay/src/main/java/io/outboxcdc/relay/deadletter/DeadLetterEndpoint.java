package io.outboxcdc.relay.deadletter;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/deadletter}: the event the relay is stopped at, and why.
 * {@code POST /actuator/deadletter} with {@code {"eventId": "..."}}: moves exactly that event to the relay's
 * dead-letter topic and resumes publishing. Any other id is refused (409): the operator confirms which event.
 */
@Component
@Endpoint(id = "deadletter")
public class DeadLetterEndpoint {

    private final DeadLetterRequests requests;

    public DeadLetterEndpoint(DeadLetterRequests requests) {
        this.requests = requests;
    }

    @ReadOperation
    public Map<String, Object> stoppedAt() {
        Map<String, Object> body = new LinkedHashMap<>();
        requests.stopped().ifPresentOrElse(stopped -> {
            body.put("stopped", true);
            body.put("eventId", stopped.eventId());
            body.put("topic", stopped.topic());
            body.put("key", stopped.key());
            body.put("reason", stopped.reason());
            body.put("since", stopped.since().toString());
        }, () -> body.put("stopped", false));
        return body;
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> deadLetter(String eventId) {
        if (requests.approve(eventId)) {
            return new WebEndpointResponse<>(Map.of("eventId", eventId, "status",
                    "accepted: it goes to the dead-letter topic, then publishing resumes"), 202);
        }
        String current = requests.stopped().map(DeadLetterRequests.StoppedEvent::eventId).orElse(null);
        return new WebEndpointResponse<>(Map.of("eventId", String.valueOf(eventId), "status",
                current == null ? "refused: the relay is not stopped at any event"
                        : "refused: the relay is stopped at " + current + ", not at this event"), 409);
    }
}
