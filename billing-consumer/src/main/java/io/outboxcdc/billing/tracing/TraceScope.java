package io.outboxcdc.billing.tracing;

import io.outboxcdc.contracts.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * Puts the trace of the record being processed into the logging context ({@code traceId}, {@code spanId} —
 * the keys Spring Boot's correlation pattern and Micrometer Tracing use) for as long as the record is processed.
 * The processing is a new span, child of the producer's; a record without a trace context starts a new trace.
 */
public final class TraceScope implements AutoCloseable {

    public static final String TRACEPARENT_HEADER = EventHeaders.TRACEPARENT;
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private final String previousTraceId;
    private final String previousSpanId;

    private TraceScope(String traceId, String spanId) {
        previousTraceId = MDC.get(TRACE_ID);
        previousSpanId = MDC.get(SPAN_ID);
        MDC.put(TRACE_ID, traceId);
        MDC.put(SPAN_ID, spanId);
    }

    public static TraceScope continueFrom(Headers headers) {
        Header header = headers.lastHeader(TRACEPARENT_HEADER);
        String traceId = TraceParent.parse(header == null || header.value() == null ? null
                        : new String(header.value(), StandardCharsets.UTF_8))
                .map(TraceParent::traceId)
                .orElseGet(() -> randomHex(16));
        return new TraceScope(traceId, randomHex(8));
    }

    public String traceId() {
        return MDC.get(TRACE_ID);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() {
        restore(TRACE_ID, previousTraceId);
        restore(SPAN_ID, previousSpanId);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
