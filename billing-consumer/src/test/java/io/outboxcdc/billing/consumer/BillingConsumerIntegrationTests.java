package io.outboxcdc.billing.consumer;

import static io.outboxcdc.billing.TestEvents.headers;
import static io.outboxcdc.billing.TestEvents.now;
import static io.outboxcdc.billing.TestEvents.orderCancelled;
import static io.outboxcdc.billing.TestEvents.orderCreated;
import static io.outboxcdc.billing.TestEvents.orderCreatedPayload;
import static io.outboxcdc.billing.TestEvents.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.outboxcdc.billing.KafkaTestSupport;
import io.outboxcdc.billing.TestEvents;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The consumer in one Spring context against the real broker process and real PostgreSQL. Methods run in order:
 * the last one replays the whole topic, everything the others published included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@RealInfrastructure
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingConsumerIntegrationTests {

    static final String TOPIC = "orders-it";
    static final String DLT = "orders-it.DLT";
    static final String GROUP = "billing-it";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Valid records published so far (copies included): a full replay must suppress exactly this many. */
    static final AtomicInteger VALID_RECORDS = new AtomicInteger();

    static KafkaTestSupport kafka;
    static JdbcTemplate billingDb;

    @Autowired
    MeterRegistry meters;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestInfrastructure infra = TestInfrastructure.forClass(BillingConsumerIntegrationTests.class);
        registry.add("spring.datasource.url", infra::billingJdbcUrl);
        registry.add("spring.kafka.bootstrap-servers", infra::kafkaBootstrapServers);
        registry.add("billing.topic", () -> TOPIC);
        registry.add("billing.dead-letter-topic", () -> DLT);
        registry.add("billing.group-id", () -> GROUP);
        registry.add("billing.retry.initial-interval", () -> "200ms");
        registry.add("billing.retry.max-interval", () -> "1s");
    }

    @BeforeAll
    static void connect(TestInfrastructure infra) {
        kafka = new KafkaTestSupport(infra.kafkaBootstrapServers());
        billingDb = new JdbcTemplate(infra.postgres().superuserDataSource(infra.layout().billingDatabase()));
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    @Order(1)
    void theSameEventPublishedThreeTimesIssuesOneInvoiceAndCountsTwoDuplicates(CapturedOutput output) {
        double duplicatesBefore = counter("billing.duplicates.suppressed");
        double createdBefore = meters.get("billing.events.processed").tag("type", "OrderCreated").counter().count();
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        for (int copy = 0; copy < 3; copy++) {
            publishValid(TestEvents.withTraceparent(orderCreated(TOPIC, eventId, orderId),
                    "00-" + traceId + "-00f067aa0ba902b7-01"));
        }

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(counter("billing.duplicates.suppressed") - duplicatesBefore).isEqualTo(2));
        assertThat(invoices(orderId)).singleElement().satisfies(invoice -> {
            assertThat(invoice.get("status")).isEqualTo("ISSUED");
            assertThat((java.math.BigDecimal) invoice.get("amount")).isEqualByComparingTo("49.98");
            assertThat(invoice.get("currency")).isEqualTo("EUR");
            assertThat(invoice.get("customer_id")).isEqualTo("c-42");
        });
        assertThat(billingDb.queryForObject("SELECT count(*) FROM processed_events WHERE event_id = ?", Long.class,
                eventId)).isEqualTo(1);
        assertThat(meters.get("billing.events.processed").tag("type", "OrderCreated").counter().count()
                - createdBefore).isEqualTo(1);
        assertThat(meters.get("billing.end.to.end.delay").timer().count()).isPositive();
        // The trace of the request that placed the order reaches billing's log line about the invoice.
        assertThat(output.getAll().lines()
                .filter(line -> line.contains("Invoice issued for order " + orderId)))
                .singleElement().asString().contains(traceId);
    }

    @Test
    @Order(2)
    void aCancellationArrivingBeforeItsOrderIsParkedAndThenVoidsTheInvoice() {
        UUID orderId = UUID.randomUUID();
        UUID cancelId = UUID.randomUUID();

        publishValid(orderCancelled(TOPIC, cancelId, orderId));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(billingDb.queryForObject(
                "SELECT count(*) FROM parked_events WHERE order_id = ?", Long.class, orderId)).isEqualTo(1));
        assertThat(meters.get("billing.events.parked").gauge().value()).isEqualTo(1);
        assertThat(invoices(orderId)).isEmpty();

        publishValid(orderCreated(TOPIC, UUID.randomUUID(), orderId));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(invoices(orderId)).singleElement()
                .satisfies(invoice -> {
                    assertThat(invoice.get("status")).isEqualTo("VOIDED");
                    assertThat(invoice.get("voided_at")).isNotNull();
                }));
        assertThat(billingDb.queryForObject("SELECT count(*) FROM parked_events", Long.class)).isZero();
        assertThat(meters.get("billing.events.parked").gauge().value()).isZero();
        assertThat(billingDb.queryForObject("SELECT applied_sequence FROM order_progress WHERE order_id = ?",
                Long.class, orderId)).isEqualTo(2);
    }

    @Test
    @Order(3)
    void eachPoisonShapeGoesToTheDeadLetterTopicOnceAndTheRecordsAfterItAreStillProcessed() throws Exception {
        double deadLetteredBefore = counter("billing.events.dead.lettered");
        Map<String, BiFunction<UUID, UUID, ProducerRecord<byte[], byte[]>>> shapes = new LinkedHashMap<>();
        shapes.put("not JSON", (event, order) -> record(order, utf8("{not json"), headers(event, "OrderCreated", 1)));
        shapes.put("not UTF-8", (event, order) -> record(order, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'},
                headers(event, "OrderCreated", 1)));
        shapes.put("no value", (event, order) -> record(order, null, headers(event, "OrderCreated", 1)));
        shapes.put("missing field", (event, order) -> record(order,
                utf8(created(event, order).replace("\"total\":49.98,", "")), headers(event, "OrderCreated", 1)));
        shapes.put("missing header", (event, order) -> {
            RecordHeaders headers = headers(event, "OrderCreated", 1);
            headers.remove("aggregateSequence");
            return record(order, utf8(created(event, order)), headers);
        });
        shapes.put("unknown eventType", (event, order) -> record(order, utf8(created(event, order)),
                headers(event, "OrderShipped", 1)));
        shapes.put("unsupported schemaVersion", (event, order) -> record(order,
                utf8(created(event, order).replace("\"schemaVersion\":1", "\"schemaVersion\":2")),
                headers(event, "OrderCreated", 1)));
        shapes.put("wrong type", (event, order) -> record(order,
                utf8(created(event, order).replace("\"total\":49.98", "\"total\":\"49.98\"")),
                headers(event, "OrderCreated", 1)));
        shapes.put("header id is not the eventId", (event, order) -> record(order, utf8(created(event, order)),
                headers(UUID.randomUUID(), "OrderCreated", 1)));

        Map<String, String> shapeByKey = new LinkedHashMap<>();
        Map<String, ProducerRecord<byte[], byte[]>> poisonByKey = new LinkedHashMap<>();
        for (var shape : shapes.entrySet()) {
            UUID orderId = UUID.randomUUID();
            ProducerRecord<byte[], byte[]> poison = shape.getValue().apply(UUID.randomUUID(), orderId);
            kafka.send(poison);
            // Same key, so same partition: it can only be processed after the poison record was dealt with.
            publishValid(orderCreated(TOPIC, UUID.randomUUID(), orderId));
            shapeByKey.put(orderId.toString(), shape.getKey());
            poisonByKey.put(orderId.toString(), poison);
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(shapeByKey.keySet())
                .allSatisfy(order -> assertThat(invoices(UUID.fromString(order))).hasSize(1)));
        Map<String, List<ConsumerRecord<byte[], byte[]>>> deadLetters = kafka.readAll(DLT).stream()
                .filter(r -> r.key() != null && shapeByKey.containsKey(new String(r.key(), StandardCharsets.UTF_8)))
                .collect(Collectors.groupingBy(r -> new String(r.key(), StandardCharsets.UTF_8)));
        for (var entry : shapeByKey.entrySet()) {
            String shape = entry.getValue();
            ProducerRecord<byte[], byte[]> original = poisonByKey.get(entry.getKey());
            assertThat(deadLetters.get(entry.getKey())).as(shape).hasSize(1);
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(entry.getKey()).get(0);
            assertThat(deadLetter.value()).as(shape).isEqualTo(original.value());
            for (Header header : original.headers()) {
                assertThat(deadLetter.headers().lastHeader(header.key())).as(shape + " " + header.key())
                        .isNotNull().extracting(Header::value).isEqualTo(header.value());
            }
            assertThat(header(deadLetter, "kafka_dlt-exception-fqcn")).as(shape).isNotBlank();
            assertThat(header(deadLetter, "kafka_dlt-exception-message")).as(shape).isNotBlank();
            assertThat(header(deadLetter, "kafka_dlt-original-topic")).as(shape).isEqualTo(TOPIC);
            assertThat(header(deadLetter, KafkaConsumerConfiguration.ERROR_CLASS_HEADER)).as(shape)
                    .isEqualTo("io.outboxcdc.billing.event.PoisonRecordException");
            assertThat(header(deadLetter, KafkaConsumerConfiguration.ERROR_MESSAGE_HEADER)).as(shape).isNotBlank();
        }
        assertThat(counter("billing.events.dead.lettered") - deadLetteredBefore).isEqualTo(shapes.size());
    }

    @Test
    @Order(4)
    void aTenSecondDatabaseOutageSendsNothingToTheDeadLetterTopicAndLosesNothing(TestInfrastructure infra)
            throws Exception {
        long deadLettersBefore = kafka.endTotal(DLT);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            orders.add(UUID.randomUUID());
        }
        for (UUID order : orders.subList(0, 5)) {
            publishValid(orderCreated(TOPIC, UUID.randomUUID(), order));
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(orders.subList(0, 5))
                .allSatisfy(order -> assertThat(invoices(order)).hasSize(1)));

        infra.postgres().stop();
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> infra.postgres().start(),
                CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS));
        for (UUID order : orders.subList(5, 20)) {
            publishValid(orderCreated(TOPIC, UUID.randomUUID(), order));
        }
        for (UUID order : orders.subList(0, 10)) {
            publishValid(orderCancelled(TOPIC, UUID.randomUUID(), order));
        }
        restart.get(60, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            for (int i = 0; i < orders.size(); i++) {
                assertThat(invoices(orders.get(i))).singleElement().extracting(invoice -> invoice.get("status"))
                        .isEqualTo(i < 10 ? "VOIDED" : "ISSUED");
            }
        });
        assertThat(kafka.endTotal(DLT)).isEqualTo(deadLettersBefore);
    }

    @Test
    @Order(5)
    void replayingTheWholeTopicFromTheEarliestOffsetChangesNothing() throws Exception {
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(kafka.committedTotal(GROUP, TOPIC)).isEqualTo(kafka.endTotal(TOPIC)));
        List<Map<String, Object>> invoicesBefore = billingDb.queryForList("SELECT * FROM invoices ORDER BY order_id");
        List<Map<String, Object>> inboxBefore = billingDb.queryForList(
                "SELECT * FROM processed_events ORDER BY event_id");
        List<Map<String, Object>> progressBefore = billingDb.queryForList(
                "SELECT * FROM order_progress ORDER BY order_id");
        double duplicatesBefore = counter("billing.duplicates.suppressed");
        double appliedBefore = meters.get("billing.events.processed").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(invoicesBefore).hasSizeGreaterThan(30);

        MessageListenerContainer container = listeners.getListenerContainer(OrderEventsListener.LISTENER_ID);
        container.stop();
        Map<TopicPartition, OffsetAndMetadata> earliest = kafka.endOffsets(TOPIC).keySet().stream()
                .collect(Collectors.toMap(p -> p, p -> new OffsetAndMetadata(0)));
        // The group must be empty first; its members leave as the container stops.
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                kafka.admin().alterConsumerGroupOffsets(GROUP, earliest).all().get(10, TimeUnit.SECONDS));
        assertThat(kafka.committedTotal(GROUP, TOPIC)).isZero();
        container.start();

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(kafka.committedTotal(GROUP, TOPIC)).isEqualTo(kafka.endTotal(TOPIC));
            assertThat(counter("billing.duplicates.suppressed") - duplicatesBefore).isEqualTo(VALID_RECORDS.get());
        });
        assertThat(billingDb.queryForList("SELECT * FROM invoices ORDER BY order_id")).isEqualTo(invoicesBefore);
        assertThat(billingDb.queryForList("SELECT * FROM processed_events ORDER BY event_id")).isEqualTo(inboxBefore);
        assertThat(billingDb.queryForList("SELECT * FROM order_progress ORDER BY order_id")).isEqualTo(progressBefore);
        assertThat(billingDb.queryForObject("SELECT count(*) FROM parked_events", Long.class)).isZero();
        assertThat(meters.get("billing.events.processed").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(appliedBefore);
    }

    private static void publishValid(ProducerRecord<byte[], byte[]> record) {
        kafka.send(record);
        VALID_RECORDS.incrementAndGet();
    }

    private static ProducerRecord<byte[], byte[]> record(UUID orderId, byte[] value, RecordHeaders headers) {
        return new ProducerRecord<>(TOPIC, null, utf8(orderId.toString()), value, headers);
    }

    private static String created(UUID eventId, UUID orderId) {
        return orderCreatedPayload(eventId, orderId, "49.98", now());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private static List<Map<String, Object>> invoices(UUID orderId) {
        return billingDb.queryForList("SELECT * FROM invoices WHERE order_id = ?", orderId);
    }
}
