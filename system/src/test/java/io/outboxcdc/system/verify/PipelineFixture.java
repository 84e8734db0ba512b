package io.outboxcdc.system.verify;

import io.outboxcdc.contracts.EventHeaders;
import io.outboxcdc.testkit.faults.TopicInjector;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes what the pipeline would have written — order rows, outbox rows, topic records, billing's invoice,
 * inbox and ledger rows — step by step, so that a test can leave a step out or do one twice and see the
 * verifier object. Rows go straight into the real databases and records onto the real broker.
 */
final class PipelineFixture implements AutoCloseable {

    static final BigDecimal TOTAL = new BigDecimal("49.98");
    static final String CURRENCY = "EUR";

    /** An order as committed: its id and the outbox event id of each of its events (index = sequence - 1). */
    record Placed(UUID orderId, boolean cancelled, UUID[] eventIds) {
        UUID created() {
            return eventIds[0];
        }

        UUID cancelledEvent() {
            return eventIds[1];
        }
    }

    private final TestInfrastructure infra;
    private final String topic;
    private final TopicInjector injector;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private int ledgerSecond;

    PipelineFixture(TestInfrastructure infra, String topic) {
        this.infra = infra;
        this.topic = topic;
        this.injector = new TopicInjector(infra.kafkaBootstrapServers());
    }

    SystemVerifier verifier() {
        return new SystemVerifier(new VerifierConfig(infra.ordersJdbcUrl(), infra.billingJdbcUrl(), infra.superuser(),
                "", infra.kafkaBootstrapServers(), topic, topic + ".DLT", Optional.empty()));
    }

    String topic() {
        return topic;
    }

    /** The order and its outbox rows, committed together (as order-app does). */
    Placed place(boolean cancelled) {
        UUID orderId = UUID.randomUUID();
        UUID[] events = cancelled ? new UUID[] {UUID.randomUUID(), UUID.randomUUID()} : new UUID[] {UUID.randomUUID()};
        orders("INSERT INTO orders (id, customer_id, currency, status, total, event_sequence, created_at, updated_at) "
                + "VALUES (?, 'fixture', ?, ?, ?, ?, ?, ?)", orderId, CURRENCY, cancelled ? "CANCELLED" : "CREATED",
                TOTAL, (long) events.length, ts(now), ts(now));
        for (int i = 0; i < events.length; i++) {
            orders("INSERT INTO outbox (id, aggregate_type, aggregate_id, aggregate_sequence, type, payload, created_at) "
                    + "VALUES (?, 'order', ?, ?, ?, '{}'::jsonb, ?)", events[i], orderId.toString(), (long) i + 1,
                    type(i + 1), ts(now));
        }
        return new Placed(orderId, cancelled, events);
    }

    /** Every event of the order on the topic, as the relay publishes them. */
    void publish(Placed order) {
        for (int sequence = 1; sequence <= order.eventIds().length; sequence++) {
            publish(order, sequence);
        }
    }

    void publish(Placed order, int sequence) {
        injector.send(topic, order.orderId().toString(), "{}", Map.of(
                EventHeaders.ID, order.eventIds()[sequence - 1].toString(),
                EventHeaders.EVENT_TYPE, type(sequence), EventHeaders.AGGREGATE_SEQUENCE, String.valueOf(sequence)));
    }

    /** What billing does for each event: the inbox row, the invoice in its state, the ledger effect. */
    void bill(Placed order) {
        for (int sequence = 1; sequence <= order.eventIds().length; sequence++) {
            inbox(order.eventIds()[sequence - 1], order.orderId(), sequence);
        }
        invoice(order.orderId(), order.cancelled() ? "VOIDED" : "ISSUED");
        effect(order.created(), order.orderId(), "ISSUED", TOTAL);
        if (order.cancelled()) {
            effect(order.cancelledEvent(), order.orderId(), "VOIDED", TOTAL);
        }
    }

    /** A fully delivered order: placed, published, billed. */
    Placed delivered(boolean cancelled) {
        Placed order = place(cancelled);
        publish(order);
        bill(order);
        return order;
    }

    void inbox(UUID eventId, UUID orderId, long sequence) {
        billing("INSERT INTO processed_events (event_id, consumer_group, event_type, order_id, aggregate_sequence, "
                + "topic, kafka_partition, kafka_offset, processed_at) VALUES (?, 'billing-service', ?, ?, ?, ?, 0, 0, ?)",
                eventId, type((int) sequence), orderId, sequence, topic, ts(now));
    }

    void invoice(UUID orderId, String status) {
        billing("INSERT INTO invoices (id, order_id, customer_id, amount, currency, status, order_created_at, "
                + "issued_at, voided_at, updated_at) VALUES (?, ?, 'fixture', ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(),
                orderId, TOTAL, CURRENCY, status, ts(now), ts(now.plusMillis(40)),
                "VOIDED".equals(status) ? ts(now.plusMillis(80)) : null, ts(now.plusMillis(80)));
    }

    /** One ledger row, applied one second after the previous one. */
    void effect(UUID eventId, UUID orderId, String effect, BigDecimal amount) {
        billing("INSERT INTO invoice_effects (event_id, order_id, effect, amount, currency, applied_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", eventId, orderId, effect, amount, CURRENCY,
                ts(now.plusSeconds(++ledgerSecond)));
    }

    void orders(String sql, Object... args) {
        execute(infra.ordersJdbcUrl(), sql, args);
    }

    void billing(String sql, Object... args) {
        execute(infra.billingJdbcUrl(), sql, args);
    }

    private void execute(String url, String sql, Object... args) {
        try (Connection c = java.sql.DriverManager.getConnection(url, infra.superuser(), "");
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static String type(int sequence) {
        return sequence == 1 ? "OrderCreated" : "OrderCancelled";
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    @Override
    public void close() {
        injector.close();
    }
}
