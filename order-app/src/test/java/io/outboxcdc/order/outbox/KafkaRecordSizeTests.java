package io.outboxcdc.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

// Issue 12 point 3: the size estimate that lets order-app refuse events the topic would refuse.
class KafkaRecordSizeTests {

    @Test
    void countsTheSpacesJsonbAddsOutsideStringsOnly() {
        // jsonb text: {"a": 1, "b": [1, 2], "c": "x:,\"y,"}: six spaces
        assertThat(KafkaRecordSize.jsonbSpaces("{\"a\":1,\"b\":[1,2],\"c\":\"x:,\\\"y,\"}")).isEqualTo(6);
    }

    @Test
    void boundsKeyValueHeadersAndBatchOverhead() {
        long bare = KafkaRecordSize.upperBound("k", "{}", Map.of());
        long withHeader = KafkaRecordSize.upperBound("k", "{}", Map.of("id", "x"));

        assertThat(bare).isGreaterThan(KafkaRecordSize.BATCH_OVERHEAD + 3);
        assertThat(withHeader - bare).isEqualTo(2 + 1 + 5 + 5);
        // Multi-byte characters count as their UTF-8 bytes.
        assertThat(KafkaRecordSize.upperBound("é", "{}", Map.of()) - bare).isEqualTo(1);
    }
}
