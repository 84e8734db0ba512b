package io.outboxcdc.billing.consumer;

import io.outboxcdc.billing.event.PoisonRecordException;
import java.util.Map;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * Which failures are poison. Only two, found anywhere in the cause chain: a record billing could not read
 * ({@link PoisonRecordException}, {@link DeserializationException}). Everything else, including exceptions
 * Spring Kafka treats as fatal by default (ClassCastException, conversion failures), is retried for ever: a
 * blocked partition is visible and recovers when the cause is fixed, a record wrongly sent to the dead-letter
 * topic during a database outage is an effect lost. Poison is only ever thrown before the database is touched,
 * so a database failure cannot carry it in its chain.
 */
public final class FailureClassification {

    private FailureClassification() {
    }

    public static <T extends DefaultErrorHandler> T apply(T handler) {
        handler.setClassifications(Map.of(
                PoisonRecordException.class, false,
                DeserializationException.class, false), true);
        return handler;
    }
}
