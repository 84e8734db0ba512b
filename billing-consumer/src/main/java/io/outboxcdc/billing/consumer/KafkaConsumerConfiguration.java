package io.outboxcdc.billing.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.outboxcdc.billing.BillingProperties;
import io.outboxcdc.billing.metrics.BillingMetrics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.ContainerProperties.AssignmentCommitOption;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The delivery guarantees live here, in code rather than in overridable configuration: no auto-commit,
 * read_committed, no silent offset reset past deleted records, a batch listener whose offsets are committed only after the
 * batch's transaction committed, poison to the dead-letter topic, transient failures retried with back-off.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConsumerConfiguration {

    /** Extra dead-letter headers naming the root cause (Spring's own name the listener's wrapper exception). */
    public static final String ERROR_CLASS_HEADER = "billing-error-class";
    public static final String ERROR_MESSAGE_HEADER = "billing-error-message";
    /** The SQL state when the database refused the record (e.g. 22021, 23514). */
    public static final String ERROR_SQL_STATE_HEADER = "billing-error-sql-state";

    private static final Logger log = LoggerFactory.getLogger(KafkaConsumerConfiguration.class);

    @Bean
    NewTopic ordersTopic(BillingProperties billing) {
        return TopicBuilder.name(billing.topic()).partitions(billing.topicPartitions()).build();
    }

    /** As many partitions as the source: a dead letter keeps its partition, hence its order's neighbours. */
    @Bean
    NewTopic deadLetterTopic(BillingProperties billing) {
        return TopicBuilder.name(billing.deadLetterTopic()).partitions(billing.topicPartitions()).build();
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<byte[], byte[]> kafkaListenerContainerFactory(KafkaProperties kafka,
            BillingProperties billing, DefaultErrorHandler errorHandler, OffsetGuard offsetGuard,
            MeterRegistry meterRegistry) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        // A new group starts at the log start (never "latest": it would skip what was published before it joined).
        // A committed offset older than the log start is NOT reset silently: OffsetGuard pauses the partition.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, billing.groupId());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only what the relay committed: an aborted transactional write must never be billed.
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Bytes, decoded strictly by the EventParser: a value that is not UTF-8 is poison with its original
        // bytes intact for the dead-letter topic. The wrapper turns any deserializer failure into poison too.
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        consumer.put(ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS, ByteArrayDeserializer.class);
        consumer.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, ByteArrayDeserializer.class);

        DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory = new DefaultKafkaConsumerFactory<>(consumer);
        // Kafka's own client metrics, among them kafka.consumer.fetch.manager.records.lag per partition.
        consumerFactory.addListener(new MicrometerConsumerListener<>(meterRegistry));
        ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setConcurrency(billing.concurrency());
        factory.setBatchListener(true);
        factory.setCommonErrorHandler(errorHandler);
        // One synchronous commit per poll, after the listener returned, i.e. after the batch's transactions.
        factory.getContainerProperties().setAckMode(AckMode.BATCH);
        factory.getContainerProperties().setSyncCommits(true);
        factory.getContainerProperties().setAssignmentCommitOption(AssignmentCommitOption.NEVER);
        factory.getContainerProperties().setConsumerRebalanceListener(offsetGuard);
        return factory;
    }

    @Bean
    KafkaTemplate<byte[], byte[]> deadLetterTemplate(KafkaProperties kafka) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer));
    }

    @Bean
    DefaultErrorHandler errorHandler(KafkaTemplate<byte[], byte[]> deadLetterTemplate, BillingProperties billing,
            BillingMetrics metrics, PartitionWatch watch) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, exception) -> new TopicPartition(billing.deadLetterTopic(), record.partition()));
        deadLetters.addHeadersFunction((record, exception) -> reasonHeaders(exception));
        ConsumerAwareRecordRecoverer recoverer = (record, consumer, exception) -> {
            // Throws if the dead-letter topic does not acknowledge: then the record is retried, not skipped.
            deadLetters.accept(record, consumer, exception);
            metrics.deadLettered();
            watch.recovered(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            log.error("Record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                    billing.deadLetterTopic(), rootCause(exception).getMessage());
        };
        DefaultErrorHandler handler = FailureClassification.apply(
                new DefaultErrorHandler(recoverer, backOff(billing.retry())));
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception exception, int attempt) {
                String reason = reason(exception);
                watch.failed(new TopicPartition(record.topic(), record.partition()), record.offset(),
                        record.timestamp(), reason);
                if (FailureClassification.classify(exception) == FailureClassification.Kind.TRANSIENT) {
                    metrics.retry();
                    log.warn("Attempt {} on {}-{}@{} failed, will retry: {}", attempt, record.topic(),
                            record.partition(), record.offset(), reason);
                }
            }
        });
        return handler;
    }

    /** Deliberately without an attempt limit: a transient failure must never become a dead letter. */
    private static BackOff backOff(BillingProperties.Retry retry) {
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        return backOff;
    }

    private static RecordHeaders reasonHeaders(Exception exception) {
        Throwable cause = rootCause(exception);
        RecordHeaders headers = new RecordHeaders();
        headers.add(ERROR_CLASS_HEADER, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add(ERROR_MESSAGE_HEADER, String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8));
        String sqlState = cause instanceof RecordRefusedException refused ? refused.sqlState()
                : FailureClassification.sqlState(exception);
        if (sqlState != null) {
            headers.add(ERROR_SQL_STATE_HEADER, sqlState.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static String reason(Exception exception) {
        String sqlState = FailureClassification.sqlState(exception);
        Throwable cause = rootCause(exception);
        return (sqlState == null ? "" : "SQL state " + sqlState + ", ") + cause.getClass().getSimpleName() + ": "
                + cause.getMessage();
    }

    /** The reason worth naming: our own poison or refusal, else the innermost cause. */
    private static Throwable rootCause(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof io.outboxcdc.billing.event.PoisonRecordException || t instanceof RecordRefusedException) {
                return t;
            }
        }
        return NestedExceptionUtils.getMostSpecificCause(exception);
    }
}
