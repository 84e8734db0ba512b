package io.outboxcdc.contracts;

/**
 * Topic and consumer-group names shared by the modules. Each service keeps its own name configurable
 * ({@code relay.topic-for-aggregate-type.*}, {@code relay.dead-letter.topic}, {@code relay.offsets.topic},
 * {@code billing.topic},
 * {@code billing.dead-letter-topic}, {@code billing.group-id}); these constants are the defaults, and what the local
 * stack, the verifier and the benchmarks read.
 */
public final class KafkaNames {

    /** Order events ({@code outbox.aggregate_type} {@code order}), key = the order id. */
    public static final String ORDERS_TOPIC = "orders";
    /** Where billing-consumer parks poison records of {@link #ORDERS_TOPIC}, partition for partition. */
    public static final String ORDERS_DEAD_LETTER_TOPIC = "orders.DLT";
    /** Where an operator moves an event Kafka refuses (outbox-relay, never automatic). */
    public static final String RELAY_DEAD_LETTER_TOPIC = "outbox-relay.dead-letter";
    /** outbox-relay's source offsets (Debezium's offset store; compacted, one partition). */
    public static final String RELAY_OFFSETS_TOPIC = "outbox-relay.offsets";
    /** billing-consumer's consumer group. */
    public static final String BILLING_GROUP = "billing-service";

    private KafkaNames() {
    }
}
