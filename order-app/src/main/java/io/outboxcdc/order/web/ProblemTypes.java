package io.outboxcdc.order.web;

import java.net.URI;

/** The {@code type} of every problem order-app returns (RFC 9457); clients switch on these, keep them stable. */
public final class ProblemTypes {

    public static final String BASE = "https://outbox-cdc.example/problems/";

    /** 400: a field or parameter breaks a rule; {@code errors} names each one. */
    public static final URI VALIDATION_FAILED = URI.create(BASE + "validation-failed");
    /** 400: the body is not JSON, or not JSON of the expected shape. */
    public static final URI MALFORMED_REQUEST = URI.create(BASE + "malformed-request");
    public static final URI ORDER_NOT_FOUND = URI.create(BASE + "order-not-found");
    public static final URI RESOURCE_NOT_FOUND = URI.create(BASE + "resource-not-found");
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
    public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
    /** 413: the event the request would write exceeds the topic's maximum message size. */
    public static final URI EVENT_TOO_LARGE = URI.create(BASE + "event-too-large");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");
    public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");
    /** 503: the database is unreachable or restarting; the response carries Retry-After. */
    public static final URI SERVICE_UNAVAILABLE = URI.create(BASE + "service-unavailable");

    private ProblemTypes() {
    }

    /** The type of a problem Spring or the servlet container raised with only a status; null for about:blank. */
    public static URI forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 404 -> RESOURCE_NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? INTERNAL_ERROR : null;
        };
    }
}
