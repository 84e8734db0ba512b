package io.outboxcdc.order.web;

/**
 * One entry of a problem's {@code errors} array.
 *
 * @param field the offending field as a path into the request, e.g. {@code items[0].quantity}, or a query
 *     parameter or header name
 */
public record FieldError(String field, String message) {
}
