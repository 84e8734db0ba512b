package io.outboxcdc.order.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An upper bound of the bytes the Kafka record that outbox-relay makes of an outbox row takes in a record batch
 * (magic v2, uncompressed), the size the broker compares with the topic's {@code max.message.bytes} and the
 * producer with {@code max.request.size}. Computed from the row alone so that order-app can refuse an event
 * before anything is committed, without a Kafka client.
 */
final class KafkaRecordSize {

    /** Record batch header (base offset .. records count) of magic v2. */
    static final int BATCH_OVERHEAD = 61;
    /** A varint never takes more than 5 bytes for an int, 10 for a long. */
    private static final int INT_VARINT = 5;
    private static final int LONG_VARINT = 10;
    /** length, attributes, timestamp delta, offset delta, key length, value length, header count. */
    private static final int RECORD_OVERHEAD = INT_VARINT + 1 + LONG_VARINT + INT_VARINT + INT_VARINT + INT_VARINT
            + INT_VARINT;

    private KafkaRecordSize() {
    }

    /**
     * @param key the record key (the aggregate id)
     * @param jsonValue the payload as order-app serialised it (compact JSON); the relay publishes PostgreSQL's
     *     jsonb text of it, which puts a space after every {@code :} and {@code ,}
     * @param headers every header the relay adds (id, eventType, aggregateSequence, traceparent)
     */
    static long upperBound(String key, String jsonValue, Map<String, String> headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + utf8(key) + utf8(jsonValue) + jsonbSpaces(jsonValue);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            size += INT_VARINT + utf8(header.getKey()) + INT_VARINT + utf8(header.getValue());
        }
        return size;
    }

    /** The separators outside string literals: jsonb's text form adds one space after each. */
    static int jsonbSpaces(String json) {
        int spaces = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++; // the escaped character cannot end the string
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ':' || c == ',') {
                spaces++;
            }
        }
        return spaces;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
