package io.outboxcdc.billing.consumer;

import io.outboxcdc.billing.BillingProperties;
import io.outboxcdc.billing.event.PoisonRecordException;
import io.outboxcdc.billing.metrics.BillingMetrics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The delivery guarantees live here, in code rather than in overridable configuration: no auto-commit,
 * read_committed, offsets committed only after the records' transactions committed, poison to the dead-letter topic,
 * everything else retried without limit.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConsumerConfiguration {

    /** Extra dead-letter headers naming the root cause (Spring's own name the listener's wrapper exception). */
    public static final String ERROR_CLASS_HEADER = "billing-error-class";
    public static final String ERROR_MESSAGE_HEADER = "billing-error-message";

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
            BillingProperties billing, DefaultErrorHandler errorHandler) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
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

        ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer));
        factory.setConcurrency(billing.concurrency());
        factory.setCommonErrorHandler(errorHandler);
        // BATCH: one synchronous commit per poll instead of one per record (measured: the per-record broker round
        // trip dominated billing's cost); still strictly after each record's transaction committed.
        factory.getContainerProperties().setAckMode(
                billing.offsetCommit() == BillingProperties.OffsetCommit.RECORD ? AckMode.RECORD : AckMode.BATCH);
        factory.getContainerProperties().setSyncCommits(true);
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
            BillingMetrics metrics) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, exception) -> new TopicPartition(billing.deadLetterTopic(), record.partition()));
        deadLetters.addHeadersFunction((record, exception) -> {
            Throwable cause = rootPoison(exception);
            RecordHeaders headers = new RecordHeaders();
            headers.add(ERROR_CLASS_HEADER, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
            headers.add(ERROR_MESSAGE_HEADER, String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        ConsumerAwareRecordRecoverer recoverer = (record, consumer, exception) -> {
            // Throws if the dead-letter topic does not acknowledge: then the record is retried, not skipped.
            deadLetters.accept(record, consumer, exception);
            metrics.deadLettered();
            log.error("Poison record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                    billing.deadLetterTopic(), rootPoison(exception).getMessage());
        };
        BillingProperties.Retry retry = billing.retry();
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        // Deliberately endless: a transient failure must never turn into a dead letter or a skipped offset.
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        DefaultErrorHandler handler = FailureClassification.apply(new DefaultErrorHandler(recoverer, backOff));
        handler.setRetryListeners((record, exception, attempt) -> {
            if (!(rootPoison(exception) instanceof PoisonRecordException)) {
                log.warn("Attempt {} on {}-{}@{} failed, will retry: {}", attempt, record.topic(), record.partition(),
                        record.offset(), NestedExceptionUtils.getMostSpecificCause(exception).toString());
            }
        });
        return handler;
    }

    private static Throwable rootPoison(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof PoisonRecordException) {
                return t;
            }
        }
        return NestedExceptionUtils.getMostSpecificCause(exception);
    }
}
