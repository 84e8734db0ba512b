package io.outboxcdc.billing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.billing.tracing.TraceParent;
import io.outboxcdc.billing.tracing.TraceScope;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TraceParentTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void parsesAW3cTraceparent() {
        assertThat(TraceParent.parse(TRACEPARENT)).contains(
                new TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01"));
        assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceParent.parse("garbage")).isEmpty();
        assertThat(TraceParent.parse(null)).isEmpty();
    }

    @Test
    void continuesTheRecordsTraceInTheLoggingContextAndRestoresIt() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));

        try (TraceScope scope = TraceScope.continueFrom(headers)) {
            assertThat(MDC.get("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(MDC.get("spanId")).hasSize(16).isNotEqualTo("00f067aa0ba902b7");
        }
        assertThat(MDC.get("traceId")).isNull();
    }

    @Test
    void startsATraceForARecordWithoutOne() {
        try (TraceScope scope = TraceScope.continueFrom(new RecordHeaders())) {
            assertThat(MDC.get("traceId")).hasSize(32);
        }
    }
}
