package io.outboxcdc.billing.tracing;

import java.util.Optional;
import java.util.regex.Pattern;

/** A W3C {@code traceparent}: {@code 00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>}. */
public record TraceParent(String traceId, String parentSpanId, String flags) {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    private static final String INVALID_SPAN_ID = "0".repeat(16);

    /** Empty for a missing or malformed header: a broken trace context is no reason to reject an event. */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var matcher = FORMAT.matcher(header.trim());
        if (!matcher.matches() || matcher.group(1).equals(INVALID_TRACE_ID)
                || matcher.group(2).equals(INVALID_SPAN_ID) || header.startsWith("ff")) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(matcher.group(1), matcher.group(2), matcher.group(3)));
    }
}
