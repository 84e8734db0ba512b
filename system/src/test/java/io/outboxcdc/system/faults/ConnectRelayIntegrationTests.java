package io.outboxcdc.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.runtime.kafka.ConnectWorker;
import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.system.OutboxCdc;
import io.outboxcdc.system.SystemUnderTest;
import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import io.outboxcdc.system.stack.ConnectRelay;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.RelayRunner;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.system.verify.VerificationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

// Issue 17 point 2: the relay's connector on a distributed Kafka Connect group of two worker processes with
// exactly-once source support, instead of the embedded relay, on one stack: the README's REST tour gives the
// records of the event contract, a load passes the shared verification, the JSON documented for an existing
// Connect cluster is the one the workers run, and SIGKILLing the worker that runs the task under load (the
// embedded relay's scenario 1, same load) leaves 0 duplicate event ids among the committed records.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectRelayIntegrationTests {

    private static final String NAME = "connect-relay";
    private static final Path DOCUMENTED_JSON = StackConfig.findHome().resolve("docs/connect/outbox-relay-connector.json");
    private static final ScenarioReport REPORT = new ScenarioReport(
            Path.of("target", "connect-relay-scenarios.md").toAbsolutePath());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalStack stack;
    private static ConnectRelay connect;

    @BeforeAll
    static void startSystem() {
        stack = SystemUnderTest.start(NAME, false, 1,
                RelayRunner.connect(List.of(FreePorts.pick(), FreePorts.pick()), true));
        connect = stack.connectRelay().orElseThrow();
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void theRestTourPublishesTheEventContract() throws Exception {
        assertThat(stack.relay().isAlive()).as("the embedded relay does not run in this mode").isFalse();
        URI orderApp = URI.create(stack.config().orderAppUrl());
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(orderApp.resolve("/orders"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "connect-tour-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"c-42\",\"currency\":\"EUR\","
                        + "\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":24.99}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        UUID orderId = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ISSUED".equals(invoiceStatus(orderId)));

        HttpResponse<String> cancelled = HTTP.send(HttpRequest.newBuilder(orderApp.resolve("/orders/" + orderId
                + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancelled.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "VOIDED".equals(invoiceStatus(orderId)));

        List<ConsumerRecord<String, String>> records = recordsOf(orderId.toString(), 2);
        assertThat(records).hasSize(2);
        for (int i = 0; i < 2; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            Map<String, String> headers = new HashMap<>();
            for (Header header : record.headers()) {
                assertThat(headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8)))
                        .as("header " + header.key() + " once").isNull();
            }
            assertThat(headers).as("exactly the contract's headers (contracts/README.md)")
                    .containsOnlyKeys("id", "eventType", "aggregateSequence")
                    .containsEntry("eventType", i == 0 ? "OrderCreated" : "OrderCancelled")
                    .containsEntry("aggregateSequence", Integer.toString(i + 1));
            assertThat(UUID.fromString(headers.get("id"))).isNotNull();
            JsonNode payload = JSON.readTree(record.value());
            assertThat(payload.path("orderId").asString()).isEqualTo(orderId.toString());
            assertThat(payload.path("schemaVersion").asInt()).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void aLoadPassesTheSharedVerification() {
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), 1_000, 16, 0, 0.1, 0.2,
                Duration.ofSeconds(30), 17);
        LoadResult load = new LoadDriver().run(plan, System.out::println);
        VerificationReport report = OutboxCdc.verifier(stack.config())
                .verify(Duration.ofSeconds(120), Optional.of(load.acknowledgedOrders()), System.out::println);
        System.out.println(report.toText());
        assertThat(load.acknowledgedOrders()).hasSize(1_000);
        assertThat(load.idempotencyViolations()).isZero();
        assertThat(report.failures()).as(report.examples().toString()).isEmpty();
        assertThat(report.eventsLost()).isZero();
        assertThat(report.topicDuplicateRecords()).isZero();
        assertThat(report.passed()).isTrue();
    }

    @Test
    @Order(3)
    void theDocumentedConnectorJsonIsWhatTheWorkersRun() throws Exception {
        Path work = SystemUnderTest.home(NAME).resolve("connector-json-defaults");
        String defaults = ConnectRelay.connectorJson(stack.config().jar("outbox-relay"), List.of(), true, work);
        assertThat(JSON.readTree(Files.readString(DOCUMENTED_JSON)))
                .as("docs/connect/outbox-relay-connector.json is the relay's connector with its default settings; "
                        + "regenerate it with the command in docs/scale-out.md").isEqualTo(JSON.readTree(defaults));

        // The stack registered its connector with POST /connectors; the worker runs exactly that configuration.
        JsonNode registered = JSON.readTree(connect.connectorJson());
        JsonNode running = JSON.readTree(get("/connectors/" + connect.connectorName() + "/config"));
        Map<String, Object> expected = JSON.convertValue(registered.path("config"), Map.class);
        Map<String, Object> actual = JSON.convertValue(running, Map.class);
        actual.remove("name");
        assertThat(actual).isEqualTo(expected);
        assertThat(JSON.readTree(defaults).path("config").size())
                .as("the stack's connector differs from the documented one only in values").isEqualTo(expected.size());

        // Connect's own validation of every key, the transforms and predicates included (it wants the name too).
        Map<String, Object> toValidate = new java.util.TreeMap<>(expected);
        toValidate.put("name", connect.connectorName());
        HttpResponse<String> validation = HTTP.send(HttpRequest.newBuilder(connect.workers().get(0).restUrl()
                        .resolve("/connector-plugins/PostgresConnector/config/validate"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(toValidate))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(validation.statusCode()).isEqualTo(200);
        List<String> errors = new ArrayList<>();
        for (JsonNode config : JSON.readTree(validation.body()).path("configs")) {
            config.path("value").path("errors").forEach(e -> errors.add(config.path("value").path("name").asString()
                    + ": " + e.asString()));
        }
        assertThat(errors).isEmpty();
    }

    /**
     * The embedded relay's scenario 1 (FailureInjectionIntegrationTests: 2 000 orders at 150/s, the relay killed
     * after 600), with the worker that runs the task killed instead. The other worker takes the task over; with
     * exactly-once the aborted transaction of the dead worker is invisible to read_committed readers.
     */
    @Test
    @Order(4)
    void workerRunningTheTaskSigkilledUnderLoad() throws Exception {
        VerificationReport before = OutboxCdc.verifier(stack.config())
                .verify(Duration.ofSeconds(60), Optional.empty(), line -> { });
        long uncommittedDuplicatesBefore = duplicateIdsReadUncommitted();
        LoadDriver driver = new LoadDriver();
        LoadPlan plan = new LoadPlan(URI.create(stack.config().orderAppUrl()), 2_000, 16, 150, 0.1, 0.2,
                Duration.ofSeconds(90), 1);
        CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(() -> driver.run(plan, line -> { }));

        await().atMost(Duration.ofMinutes(3)).until(() -> driver.acknowledgedSoFar() >= 600 || load.isDone());
        assertThat(load.isDone()).as("the load still runs when the worker is killed").isFalse();
        long stillToCome = plan.orders() - driver.acknowledgedSoFar();
        ConnectWorker victim = connect.taskWorker().orElseThrow();
        ConnectWorker survivor = connect.workers().stream().filter(w -> w != victim).findFirst().orElseThrow();
        victim.kill();
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> connect.taskWorker().filter(w -> w == survivor).isPresent() && connect.taskRunning());
        double takeover = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("[%s] task moved from %s to %s in %.1f s after the SIGKILL%n", NAME, victim.name(),
                survivor.name(), takeover);
        victim.start();

        LoadResult result = load.join();
        long verifyStarted = System.nanoTime();
        VerificationReport after = OutboxCdc.verifier(stack.config())
                .verify(Duration.ofSeconds(180), Optional.of(result.acknowledgedOrders()), line -> { });
        double recovery = (verifyStarted - killedAt) / 1e9 + after.settledAfterSeconds();
        System.out.println(after.toText());
        long duplicates = after.topicDuplicateRecords() - before.topicDuplicateRecords();
        long uncommittedDuplicates = duplicateIdsReadUncommitted() - uncommittedDuplicatesBefore;
        System.out.printf("[%s] duplicate event ids: %d read_committed, %d read_uncommitted (aborted records)%n",
                NAME, duplicates, uncommittedDuplicates);
        long committedDuring = after.ordersCommitted() - before.ordersCommitted();
        REPORT.add(new ScenarioReport.Row("Connect worker running the task SIGKILLed (exactly-once)",
                result.acknowledgedOrders().size(), committedDuring, result.idempotencyViolations(), stillToCome,
                after.topicRecords() - before.topicRecords(), duplicates, "n/a", after.eventsLost(),
                after.doubleEffects(), recovery, 120, after.passed() && duplicates == 0));

        assertThat(result.idempotencyViolations()).isZero();
        assertThat(committedDuring).isEqualTo(result.acknowledgedOrders().size());
        assertThat(stillToCome).as("orders still to come at the kill").isGreaterThanOrEqualTo(1_000);
        assertThat(takeover).as("seconds until the other worker ran the task").isLessThan(60);
        assertThat(after.failures()).as(after.examples().toString()).isEmpty();
        assertThat(after.eventsLost()).isZero();
        assertThat(duplicates).as("duplicate event ids among the committed records (read_committed)").isZero();
        assertThat(recovery).as("seconds from the kill until every order was billed").isLessThan(120);
        assertThat(after.passed()).isTrue();
    }

    private static String invoiceStatus(UUID orderId) throws SQLException {
        try (Connection c = stack.postgres().superuserDataSource("billing").getConnection();
                PreparedStatement s = c.prepareStatement("SELECT status FROM invoices WHERE order_id = ?")) {
            s.setObject(1, orderId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(connect.workers().get(1).restUrl().resolve(path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    /** The committed records of one key, in offset order, read from the start of the topic. */
    private static List<ConsumerRecord<String, String>> recordsOf(String key, int expected) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("read_committed")) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !partitions.stream()
                    .allMatch(p -> consumer.position(p) >= end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        assertThat(found).as("records of " + key).hasSize(expected);
        return found;
    }

    /** Event ids that occur more than once on the topic for a read_uncommitted reader (aborted records included). */
    private static long duplicateIdsReadUncommitted() {
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && !partitions.stream()
                    .allMatch(p -> consumer.position(p) >= end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    Header id = record.headers().lastHeader("id");
                    if (id != null) {
                        seen.merge(new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                }
            }
        }
        return seen.values().stream().mapToLong(n -> n - 1).sum();
    }

    private static KafkaConsumer<String, String> consumer(String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        return consumer.partitionsFor(LocalStack.ORDERS_TOPIC).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }
}
