package io.outboxcdc.order.web;

/**
 * Names of the error responses in the OpenAPI document's {@code components/responses}, for
 * {@code @ApiResponse(ref = ...)} on the operations that can return them. Every one is
 * {@code application/problem+json} with the {@code Problem} schema.
 */
public final class ApiProblems {

    public static final String BAD_REQUEST = "BadRequest";
    public static final String ORDER_NOT_FOUND = "OrderNotFound";
    public static final String NOT_ACCEPTABLE = "NotAcceptable";
    public static final String CONTENT_TOO_LARGE = "ContentTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String IDEMPOTENCY_KEY_REUSED = "IdempotencyKeyReused";
    public static final String INTERNAL_ERROR = "InternalError";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    /** For {@code ref}: the response's JSON pointer. */
    public static final String REF = "#/components/responses/";

    private ApiProblems() {
    }
}
