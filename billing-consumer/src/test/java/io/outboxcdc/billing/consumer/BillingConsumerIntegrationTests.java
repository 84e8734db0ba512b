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
import io.outboxcdc.billing.event.ColumnLimits;
import io.outboxcdc.contracts.EventHeaders;
import io.outboxcdc.testkit.junit.RealInfrastructure;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.RecordsToDelete;
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
import org.springframework.boot.test.web.server.LocalServerPort;
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
// Per-effect lines (with the record's trace id) are DEBUG; the batch line is INFO.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level.io.outboxcdc.billing.consumer.OrderEventsListener=DEBUG")
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

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

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
        registry.add("billing.watch.stuck-after", () -> "3s");
        registry.add("billing.watch.parked-too-long", () -> "1s");
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
        assertThat(effects(orderId)).containsExactly("ISSUED " + eventId + " 49.98 EUR");
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

        UUID createId = UUID.randomUUID();
        publishValid(orderCreated(TOPIC, createId, orderId));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(invoices(orderId)).singleElement()
                .satisfies(invoice -> {
                    assertThat(invoice.get("status")).isEqualTo("VOIDED");
                    assertThat(invoice.get("voided_at")).isNotNull();
                }));
        // The ledger: the issue, then the void, each with its own event id, in one transaction with the invoice.
        assertThat(effects(orderId)).containsExactly("ISSUED " + createId + " 49.98 EUR",
                "VOIDED " + cancelId + " 49.98 EUR");
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
            headers.remove(EventHeaders.AGGREGATE_SEQUENCE);
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


    /** Issue 13: six records that parse but that PostgreSQL would refuse, one of each kind per partition. */
    @Test
    @Order(4)
    void theSixPoisonRecordsOfTheIssueAreDeadLetteredAndLaterRealOrdersOnEveryPartitionAreInvoiced()
            throws Exception {
        double deadLetteredBefore = counter("billing.events.dead.lettered");
        Map<String, String> expectedReason = new LinkedHashMap<>();
        List<UUID> realOrders = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            UUID nulOrder = UUID.randomUUID();
            UUID nulEvent = UUID.randomUUID();
            kafka.send(new ProducerRecord<>(TOPIC, partition, utf8(nulOrder.toString()),
                    utf8(created(nulEvent, nulOrder).replace("\"c-42\"", "\"c-\\u0000-42\"")),
                    headers(nulEvent, "OrderCreated", 1)));
            expectedReason.put(nulOrder.toString(), "U+0000");
            UUID farOrder = UUID.randomUUID();
            UUID farEvent = UUID.randomUUID();
            kafka.send(new ProducerRecord<>(TOPIC, partition, utf8(farOrder.toString()),
                    utf8(orderCreatedPayload(farEvent, farOrder, "49.98", now())
                            .replaceAll("\"occurredAt\":\"[^\"]+\"", "\"occurredAt\":\"+300000-01-01T00:00:00Z\"")),
                    headers(farEvent, "OrderCreated", 1)));
            expectedReason.put(farOrder.toString(), "occurredAt");
            for (int i = 0; i < 20; i++) {
                UUID order = UUID.randomUUID();
                realOrders.add(order);
                ProducerRecord<byte[], byte[]> real = orderCreated(TOPIC, UUID.randomUUID(), order);
                publishValid(new ProducerRecord<>(TOPIC, partition, real.key(), real.value(), real.headers()));
            }
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(realOrders)
                .allSatisfy(order -> assertThat(invoices(order)).hasSize(1)));
        Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = new LinkedHashMap<>();
        kafka.readAll(DLT).stream().filter(r -> r.key() != null
                && expectedReason.containsKey(new String(r.key(), StandardCharsets.UTF_8)))
                .forEach(r -> deadLetters.put(new String(r.key(), StandardCharsets.UTF_8), r));
        assertThat(deadLetters).hasSize(6);
        expectedReason.forEach((order, reason) -> {
            assertThat(header(deadLetters.get(order), KafkaConsumerConfiguration.ERROR_MESSAGE_HEADER)).as(order)
                    .contains(reason);
            assertThat(invoices(UUID.fromString(order))).isEmpty();
        });
        assertThat(counter("billing.events.dead.lettered") - deadLetteredBefore).isEqualTo(6);
    }

    /**
     * A record the parser accepts but the database refuses (a CHECK constraint added here stands in for a rule
     * the parser does not know) fails its whole batch; the batch is split until that record is found, which goes
     * to the dead-letter topic with the SQL state, and everything else of the batch is applied once.
     */
    @Test
    @Order(5)
    void aBatchTheDatabaseRefusesIsSplitUntilTheCulpritIsFoundAndOnlyItIsDeadLettered() throws Exception {
        billingDb.execute("ALTER TABLE invoices ADD CONSTRAINT refused_for_test CHECK (customer_id <> 'refused')");
        double duplicatesBefore = counter("billing.duplicates.suppressed");
        MessageListenerContainer container = listeners.getListenerContainer(OrderEventsListener.LISTENER_ID);
        container.stop();
        List<UUID> valid = new ArrayList<>();
        UUID refusedOrder = UUID.randomUUID();
        UUID refusedEvent = UUID.randomUUID();
        ProducerRecord<byte[], byte[]> firstValid = null;
        for (int i = 0; i < 9; i++) {
            if (i == 4) {
                kafka.send(new ProducerRecord<>(TOPIC, 1, utf8(refusedOrder.toString()),
                        utf8(created(refusedEvent, refusedOrder).replace("\"c-42\"", "\"refused\"")),
                        headers(refusedEvent, "OrderCreated", 1)));
                continue;
            }
            UUID order = UUID.randomUUID();
            valid.add(order);
            ProducerRecord<byte[], byte[]> real = orderCreated(TOPIC, UUID.randomUUID(), order);
            ProducerRecord<byte[], byte[]> onPartition = new ProducerRecord<>(TOPIC, 1, real.key(), real.value(),
                    real.headers());
            publishValid(onPartition);
            if (firstValid == null) {
                firstValid = onPartition;
            } else if (i == 6) {
                // Two copies of the first event in the same batch: suppressed within the batch.
                publishValid(firstValid);
                publishValid(firstValid);
            }
        }
        container.start();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(valid)
                .allSatisfy(order -> assertThat(invoices(order)).hasSize(1)));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(counter("billing.duplicates.suppressed") - duplicatesBefore).isEqualTo(2));
        assertThat(valid).allSatisfy(order -> assertThat(effects(order)).hasSize(1));
        assertThat(invoices(refusedOrder)).isEmpty();
        assertThat(billingDb.queryForObject("SELECT count(*) FROM processed_events WHERE event_id = ?", Long.class,
                refusedEvent)).isZero();
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(DLT).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8)
                        .equals(refusedOrder.toString()))
                .findFirst().orElseThrow();
        assertThat(header(deadLetter, KafkaConsumerConfiguration.ERROR_SQL_STATE_HEADER)).isEqualTo("23514");
        assertThat(header(deadLetter, KafkaConsumerConfiguration.ERROR_MESSAGE_HEADER)).contains("refused_for_test");
        assertThat(header(deadLetter, KafkaConsumerConfiguration.ERROR_CLASS_HEADER))
                .isEqualTo(RecordRefusedException.class.getName());
        // The constraint stays: the replay at the end must refuse this record again, not apply it.
    }

    @Test
    @Order(6)
    void aDatabaseOutageSendsNothingToTheDeadLetterTopicAndLosesNothing(TestInfrastructure infra)
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
        for (UUID order : orders.subList(5, 20)) {
            publishValid(orderCreated(TOPIC, UUID.randomUUID(), order));
        }
        for (UUID order : orders.subList(0, 10)) {
            publishValid(orderCancelled(TOPIC, UUID.randomUUID(), order));
        }
        // Stuck for longer than billing.watch.stuck-after while records wait: health DOWN naming the partition.
        // The database comes back only once that was seen (a fixed outage raced the health check on a slow
        // machine: the health request itself waits for a connection while the database is down).
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(print(http("GET", "/actuator/health", null)))
                .startsWith("503 ").contains("\"partition\":\"" + TOPIC + "-").contains("\"offset\":")
                // "last failure: SQL state 08001 ..." or, while the first attempt waits for a connection,
                // "a batch has been in progress since ...".
                .contains("\"reason\":\""));
        infra.postgres().start();

        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            for (int i = 0; i < orders.size(); i++) {
                assertThat(invoices(orders.get(i))).singleElement().extracting(invoice -> invoice.get("status"))
                        .isEqualTo(i < 10 ? "VOIDED" : "ISSUED");
            }
        });
        assertThat(kafka.endTotal(DLT)).isEqualTo(deadLettersBefore);
        assertThat(counter("billing.retries")).isPositive();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(http("GET", "/actuator/health", null))
                .startsWith("200 "));
    }

    /** The operator lists parked events, releases one whose predecessor never comes and dead-letters another. */
    @Test
    @Order(7)
    void anOperatorListsParkedEventsAndReleasesOrDeadLettersThem() throws Exception {
        UUID releasedOrder = UUID.randomUUID();
        UUID releasedEvent = UUID.randomUUID();
        // An OrderCreated that claims sequence 2: its predecessor will never come.
        publishValid(new ProducerRecord<>(TOPIC, null, utf8(releasedOrder.toString()),
                utf8(created(releasedEvent, releasedOrder)), headers(releasedEvent, "OrderCreated", 2)));
        UUID abandonedOrder = UUID.randomUUID();
        UUID abandonedEvent = UUID.randomUUID();
        publishValid(orderCancelled(TOPIC, abandonedEvent, abandonedOrder));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(http("GET", "/actuator/parked", null))
                .startsWith("200 ").contains(releasedEvent.toString()).contains(abandonedEvent.toString()));
        // Parked longer than billing.watch.parked-too-long: reported, health stays UP.
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(meters.get("billing.events.parked.too.long").gauge().value()).isEqualTo(2);
            assertThat(http("GET", "/actuator/health", null)).startsWith("200 ").contains("\"parkedTooLong\":2");
        });

        assertThat(http("POST", "/actuator/parked/" + releasedEvent, "{\"action\":\"RELEASE\"}")).startsWith("200 ");
        assertThat(invoices(releasedOrder)).singleElement().extracting(i -> i.get("status")).isEqualTo("ISSUED");
        assertThat(effects(releasedOrder)).containsExactly("ISSUED " + releasedEvent + " 49.98 EUR");
        assertThat(billingDb.queryForObject("SELECT applied_sequence FROM order_progress WHERE order_id = ?",
                Long.class, releasedOrder)).isEqualTo(2);

        assertThat(http("POST", "/actuator/parked/" + abandonedEvent, "{\"action\":\"DEAD_LETTER\"}"))
                .startsWith("200 ");
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(DLT).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8)
                        .equals(abandonedOrder.toString()))
                .findFirst().orElseThrow();
        assertThat(header(deadLetter, "id")).isEqualTo(abandonedEvent.toString());
        assertThat(header(deadLetter, KafkaConsumerConfiguration.ERROR_MESSAGE_HEADER)).contains("never arrived");

        assertThat(http("GET", "/actuator/parked", null)).isEqualTo("200 []");
        assertThat(http("POST", "/actuator/parked/" + abandonedEvent, "{\"action\":\"RELEASE\"}")).startsWith("404 ");
        assertThat(http("POST", "/actuator/parked/" + abandonedEvent, "{\"action\":\"FORGET\"}")).startsWith("400 ");
    }

    @Test
    @Order(8)
    void replayingTheWholeTopicFromTheEarliestOffsetChangesNothing() throws Exception {
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(kafka.committedTotal(GROUP, TOPIC)).isEqualTo(kafka.endTotal(TOPIC)));
        List<Map<String, Object>> invoicesBefore = billingDb.queryForList("SELECT * FROM invoices ORDER BY order_id");
        List<Map<String, Object>> inboxBefore = billingDb.queryForList(
                "SELECT * FROM processed_events ORDER BY event_id");
        List<Map<String, Object>> progressBefore = billingDb.queryForList(
                "SELECT * FROM order_progress ORDER BY order_id");
        List<Map<String, Object>> effectsBefore = billingDb.queryForList("SELECT * FROM invoice_effects ORDER BY id");
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
        assertThat(billingDb.queryForList("SELECT * FROM invoice_effects ORDER BY id")).isEqualTo(effectsBefore);
        assertThat(billingDb.queryForObject("SELECT count(*) FROM parked_events", Long.class)).isZero();
        assertThat(meters.get("billing.events.processed").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(appliedBefore);
    }

    /**
     * Records deleted before billing read them (retention while billing was down; here AdminClient.deleteRecords):
     * billing refuses to skip them, reports the partition, and goes on once an operator reset the offset.
     */
    @Test
    @Order(9)
    void recordsDeletedBeforeBillingReadThemAreNeverSkippedSilently() throws Exception {
        MessageListenerContainer container = listeners.getListenerContainer(OrderEventsListener.LISTENER_ID);
        TopicPartition partition0 = new TopicPartition(TOPIC, 0);
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(kafka.committedTotal(GROUP, TOPIC)).isEqualTo(kafka.endTotal(TOPIC)));
        container.stop();
        long committedBefore = kafka.committedOffsets(GROUP, TOPIC).get(partition0);
        List<UUID> lost = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID order = UUID.randomUUID();
            lost.add(order);
            ProducerRecord<byte[], byte[]> real = orderCreated(TOPIC, UUID.randomUUID(), order);
            kafka.send(new ProducerRecord<>(TOPIC, 0, real.key(), real.value(), real.headers()));
        }
        long end = kafka.endOffsets(TOPIC).get(partition0);
        kafka.admin().deleteRecords(Map.of(partition0, RecordsToDelete.beforeOffset(end))).all()
                .get(30, TimeUnit.SECONDS);
        container.start();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(http("GET", "/actuator/health", null))
                .startsWith("503 ").contains("\"offsetsGone\":[{\"partition\":\"" + TOPIC + "-0\"")
                .contains("\"committedOffset\":" + committedBefore).contains("\"logStartOffset\":" + end)
                .contains("deleted before billing read them"));
        // The other partitions carry on; partition 0 stays where it was.
        UUID elsewhere = UUID.randomUUID();
        ProducerRecord<byte[], byte[]> other = orderCreated(TOPIC, UUID.randomUUID(), elsewhere);
        kafka.send(new ProducerRecord<>(TOPIC, 1, other.key(), other.value(), other.headers()));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(invoices(elsewhere)).hasSize(1));
        assertThat(kafka.committedOffsets(GROUP, TOPIC).get(partition0)).isEqualTo(committedBefore);

        // The way out (README, "Offsets gone"): billing stopped, the operator accepts the loss by resetting the
        // group's offset to the log start (kafka-consumer-groups --reset-offsets --to-earliest does the same).
        container.stop();
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> kafka.admin().alterConsumerGroupOffsets(
                GROUP, Map.of(partition0, new OffsetAndMetadata(end))).all().get(10, TimeUnit.SECONDS));
        container.start();
        UUID after = UUID.randomUUID();
        ProducerRecord<byte[], byte[]> next = orderCreated(TOPIC, UUID.randomUUID(), after);
        kafka.send(new ProducerRecord<>(TOPIC, 0, next.key(), next.value(), next.headers()));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(invoices(after)).hasSize(1);
            assertThat(http("GET", "/actuator/health", null)).startsWith("200 ");
        });
        assertThat(lost).allSatisfy(order -> assertThat(invoices(order)).isEmpty());
    }

    /** One definition of the limits: the parser's numbers are the schema's. */
    @Test
    @Order(10)
    void theParsersLimitsAreTheSchemasColumns() {
        Map<String, Object> customer = billingDb.queryForMap("SELECT character_maximum_length AS l FROM"
                + " information_schema.columns WHERE table_name = 'invoices' AND column_name = 'customer_id'");
        Map<String, Object> currency = billingDb.queryForMap("SELECT character_maximum_length AS l FROM"
                + " information_schema.columns WHERE table_name = 'invoices' AND column_name = 'currency'");
        Map<String, Object> amount = billingDb.queryForMap("SELECT numeric_precision AS p, numeric_scale AS s FROM"
                + " information_schema.columns WHERE table_name = 'invoices' AND column_name = 'amount'");
        assertThat(((Number) customer.get("l")).intValue()).isEqualTo(ColumnLimits.CUSTOMER_ID_MAX_CHARACTERS);
        assertThat(((Number) currency.get("l")).intValue()).isEqualTo(ColumnLimits.CURRENCY_CHARACTERS);
        assertThat(((Number) amount.get("p")).intValue()).isEqualTo(ColumnLimits.AMOUNT_PRECISION);
        assertThat(((Number) amount.get("s")).intValue()).isEqualTo(ColumnLimits.AMOUNT_SCALE);
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

    /** The order's effect ledger, oldest first: "EFFECT eventId amount currency". */
    private static List<String> effects(UUID orderId) {
        return billingDb.query("SELECT effect, event_id, amount, currency FROM invoice_effects WHERE order_id = ?"
                + " ORDER BY id", (rs, n) -> rs.getString(1) + " " + rs.getString(2) + " "
                + rs.getBigDecimal(3).toPlainString() + " " + rs.getString(4), orderId);
    }

    /** "status body" of a request to this application. */
    private String http(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static String print(String response) {
        System.out.println("health: " + response);
        return response;
    }

    private static List<Map<String, Object>> invoices(UUID orderId) {
        return billingDb.queryForList("SELECT * FROM invoices WHERE order_id = ?", orderId);
    }
}
