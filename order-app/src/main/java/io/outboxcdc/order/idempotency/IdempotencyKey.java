package io.outboxcdc.order.idempotency;

import java.util.regex.Pattern;

/** The value of an {@code Idempotency-Key} header: 1 to 128 printable ASCII characters, not all blank. */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1,128}");

    public IdempotencyKey {
        if (value == null || !PRINTABLE.matcher(value).matches() || value.isBlank()) {
            throw new InvalidIdempotencyKeyException();
        }
    }

    /** @return null when the header is absent */
    public static IdempotencyKey ofHeader(String header) {
        return header == null ? null : new IdempotencyKey(header);
    }
}
