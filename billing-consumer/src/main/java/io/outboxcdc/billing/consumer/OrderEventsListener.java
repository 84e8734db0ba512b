package io.outboxcdc.billing.consumer;

import io.micrometer.core.instrument.Timer;
import io.outboxcdc.billing.BillingProperties;
import io.outboxcdc.billing.event.EventParser;
import io.outboxcdc.billing.event.OrderCreated;
import io.outboxcdc.billing.event.OrderEvent;
import io.outboxcdc.billing.event.SequencedEvent;
import io.outboxcdc.billing.faultinjection.CrashPoint;
import io.outboxcdc.billing.inbox.RecordPosition;
import io.outboxcdc.billing.metrics.BillingMetrics;
import io.outboxcdc.billing.ordering.OrderedEventProcessor;
import io.outboxcdc.billing.ordering.ProcessingResult;
import io.outboxcdc.billing.tracing.TraceScope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One record at a time: parse (poison surfaces here, before any database work), process in one transaction,
 * return. The container commits offsets only after the listener returned (per poll by default, see
 * {@code billing.offset-commit}), so a crash anywhere before that means redelivery, which the inbox turns into
 * a no-op for every record whose transaction had committed.
 */
@Component
public class OrderEventsListener {

    public static final String LISTENER_ID = "billing-orders";

    private static final Logger log = LoggerFactory.getLogger(OrderEventsListener.class);

    private final EventParser parser;
    private final OrderedEventProcessor processor;
    private final BillingMetrics metrics;
    private final CrashPoint crashPoint;
    private final String consumerGroup;

    public OrderEventsListener(EventParser parser, OrderedEventProcessor processor, BillingMetrics metrics,
            CrashPoint crashPoint, BillingProperties properties) {
        this.parser = parser;
        this.processor = processor;
        this.metrics = metrics;
        this.crashPoint = crashPoint;
        this.consumerGroup = properties.groupId();
    }

    @KafkaListener(id = LISTENER_ID, topics = "${billing.topic:orders}", groupId = "${billing.group-id:billing-service}")
    public void onRecord(ConsumerRecord<byte[], byte[]> record) {
        try (TraceScope trace = TraceScope.continueFrom(record.headers())) {
            Timer.Sample sample = metrics.startProcessing();
            SequencedEvent event = parser.parse(record.key(), record.value(), record.headers());
            ProcessingResult result = processor.process(event,
                    new RecordPosition(record.topic(), record.partition(), record.offset()), consumerGroup);
            metrics.processed(sample, result);
            // Logged after the commit: a line here is a fact, not an intention.
            result.applied().forEach(OrderEventsListener::logEffect);
            log.info("{} {} (order {}, sequence {}) from {}-{}@{}: {}", event.type().headerValue(), event.eventId(),
                    event.orderId(), event.aggregateSequence(), record.topic(), record.partition(), record.offset(),
                    result.outcome());
            if (result.outcome() != ProcessingResult.Outcome.DUPLICATE) {
                crashPoint.afterDbCommit();
            }
        }
    }

    private static void logEffect(OrderEvent event) {
        if (event instanceof OrderCreated created) {
            log.info("Invoice issued for order {}: {} {} (event {})", created.orderId(),
                    created.total().toPlainString(), created.currency(), created.eventId());
        } else {
            log.info("Invoice voided for order {} (event {})", event.orderId(), event.eventId());
        }
    }
}
