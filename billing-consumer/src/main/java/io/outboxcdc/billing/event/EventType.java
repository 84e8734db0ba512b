package io.outboxcdc.billing.event;

import java.util.Arrays;

/** The {@code eventType} header values billing understands. */
public enum EventType {
    ORDER_CREATED("OrderCreated"),
    ORDER_CANCELLED("OrderCancelled");

    private final String headerValue;

    EventType(String headerValue) {
        this.headerValue = headerValue;
    }

    public String headerValue() {
        return headerValue;
    }

    public static EventType fromHeader(String value) {
        return Arrays.stream(values())
                .filter(type -> type.headerValue.equals(value))
                .findFirst()
                .orElseThrow(() -> new PoisonRecordException("unknown eventType '" + value + "'"));
    }
}
