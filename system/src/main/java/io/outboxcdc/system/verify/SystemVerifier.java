package io.outboxcdc.system.verify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Proves exactly-once-ish delivery from outside: reads the orders database, the {@code orders} topic and the
 * billing database (invoices, inbox and the append-only effect ledger), waits (up to a settle timeout) until
 * every committed order has its right invoice and its final effects, and reports what it found. The checks
 * themselves are pure ({@link PipelineAudit}, {@link EffectLedgerAudit}); this class reads and assembles. The
 * {@code verify} command and the end-to-end tests share this one implementation.
 */
public final class SystemVerifier {

    private final VerifierConfig config;

    public SystemVerifier(VerifierConfig config) {
        this.config = config;
    }

    /**
     * @param acknowledged order ids a client saw acknowledged (2xx), if known: each must be committed
     */
    public VerificationReport verify(Duration settleTimeout, Optional<Set<UUID>> acknowledged, Consumer<String> progress) {
        long begin = System.nanoTime();
        long deadline = begin + settleTimeout.toNanos();
        Map<UUID, OrderRow> orders;
        Map<UUID, InvoiceRow> invoices;
        List<EffectRow> effects;
        long pending;
        while (true) {
            orders = loadOrders();
            invoices = loadInvoices();
            effects = loadEffects();
            pending = notYetFinal(orders, invoices, effects);
            if (pending == 0 || System.nanoTime() > deadline) {
                break;
            }
            progress.accept(String.format("  settling: %d of %d orders not yet billed in their final state",
                    pending, orders.size()));
            pause();
        }
        boolean settled = pending == 0;
        double settledAfter = (System.nanoTime() - begin) / 1e9;

        Examples examples = new Examples();
        long wrongInvoices = PipelineAudit.wrongInvoices(orders, invoices, examples);
        EffectLedgerAudit.Findings ledger = EffectLedgerAudit.audit(orders, effects, examples);
        long orphanInvoices = PipelineAudit.orphanInvoices(orders, invoices.values(), examples);

        Set<UUID> outboxIds = loadOutboxEventIds();
        TopicScan.Scanned topic = TopicScan.scan(config.kafkaBootstrapServers(), config.topic());
        long lost = PipelineAudit.lostEvents(outboxIds, topic.eventIds(), config.topic(), examples);
        long gaps = PipelineAudit.sequenceGaps(orders, topic.sequencesByKey(), examples);
        long ackNotCommitted = PipelineAudit.acknowledgedNotCommitted(acknowledged.orElse(Set.of()), orders, examples);

        BillingCounts billing = billingCounts(examples);
        long expectedEvents = orders.values().stream().mapToLong(OrderRow::eventSequence).sum();
        long cancelled = orders.values().stream().filter(OrderRow::cancelled).count();
        long issued = invoices.values().stream().filter(i -> "ISSUED".equals(i.status())).count();
        long voided = invoices.values().stream().filter(i -> "VOIDED".equals(i.status())).count();
        long doubleEffects = ledger.doubled() + billing.sequencesAppliedTwice();
        VerificationReport.Percentiles delay = PipelineAudit.delays(orders, invoices.values());
        boolean passed = wrongInvoices == 0 && ledger.missing() == 0 && doubleEffects == 0 && ledger.outOfOrder() == 0
                && ledger.wrongAmounts() == 0 && ledger.unexpectedVoids() == 0 && orphanInvoices == 0
                && ledger.orphans() == 0 && lost == 0 && gaps == 0 && ackNotCommitted == 0;
        return new VerificationReport(orders.size(), cancelled, outboxIds.size(), expectedEvents, topic.records(),
                topic.duplicates(), lost, billing.inboxRows(), duplicatesSuppressed().orElse(null), billing.parked(),
                TopicScan.count(config.kafkaBootstrapServers(), config.deadLetterTopic()), issued, voided,
                ledger.effects(), wrongInvoices, ledger.missing(), doubleEffects, ledger.outOfOrder(),
                ledger.wrongAmounts(), ledger.unexpectedVoids(), orphanInvoices, ledger.orphans(), gaps,
                ackNotCommitted, delay, settledAfter, settled, examples.list(), passed);
    }

    /** Orders whose invoice or ledger does not show their final state yet: what the settle loop waits for. */
    static long notYetFinal(Map<UUID, OrderRow> orders, Map<UUID, InvoiceRow> invoices, List<EffectRow> effects) {
        Map<UUID, List<EffectRow>> ledger = EffectLedgerAudit.byOrder(effects);
        long count = 0;
        for (OrderRow order : orders.values()) {
            if (!PipelineAudit.rightInvoice(order, invoices.get(order.id()))
                    || !EffectLedgerAudit.complete(order, ledger.getOrDefault(order.id(), List.of()))) {
                count++;
            }
        }
        return count;
    }

    private Map<UUID, OrderRow> loadOrders() {
        Map<UUID, OrderRow> orders = new HashMap<>();
        query(config.ordersJdbcUrl(), "SELECT id, status, total, currency, event_sequence, created_at FROM orders", rs -> {
            UUID id = (UUID) rs.getObject(1);
            orders.put(id, new OrderRow(id, rs.getString(2), rs.getBigDecimal(3), rs.getString(4).trim(), rs.getLong(5),
                    rs.getTimestamp(6).toInstant()));
        });
        return orders;
    }

    private Map<UUID, InvoiceRow> loadInvoices() {
        Map<UUID, InvoiceRow> invoices = new HashMap<>();
        query(config.billingJdbcUrl(), "SELECT order_id, status, amount, currency, issued_at FROM invoices", rs -> {
            UUID orderId = (UUID) rs.getObject(1);
            Timestamp issued = rs.getTimestamp(5);
            invoices.put(orderId, new InvoiceRow(orderId, rs.getString(2), rs.getBigDecimal(3), rs.getString(4).trim(),
                    issued == null ? Instant.EPOCH : issued.toInstant()));
        });
        return invoices;
    }

    private List<EffectRow> loadEffects() {
        List<EffectRow> effects = new ArrayList<>();
        query(config.billingJdbcUrl(), "SELECT id, event_id, order_id, effect, amount, currency, applied_at "
                + "FROM invoice_effects", rs -> effects.add(new EffectRow(rs.getLong(1), (UUID) rs.getObject(2),
                        (UUID) rs.getObject(3), rs.getString(4), rs.getBigDecimal(5), rs.getString(6).trim(),
                        rs.getTimestamp(7).toInstant())));
        return effects;
    }

    private Set<UUID> loadOutboxEventIds() {
        Set<UUID> ids = new HashSet<>();
        query(config.ordersJdbcUrl(), "SELECT id FROM outbox WHERE aggregate_type = 'order'",
                rs -> ids.add((UUID) rs.getObject(1)));
        return ids;
    }

    private record BillingCounts(long inboxRows, long parked, long sequencesAppliedTwice) {
    }

    private BillingCounts billingCounts(Examples examples) {
        long[] inboxRows = new long[1];
        long[] parked = new long[1];
        long[] appliedTwice = new long[1];
        query(config.billingJdbcUrl(), "SELECT count(*) FROM processed_events", rs -> inboxRows[0] = rs.getLong(1));
        query(config.billingJdbcUrl(), "SELECT count(*) FROM parked_events", rs -> parked[0] = rs.getLong(1));
        // Two inbox rows for one (order, sequence) mean one logical event took effect twice under two ids.
        query(config.billingJdbcUrl(), "SELECT order_id, aggregate_sequence, count(*) FROM processed_events "
                + "GROUP BY order_id, aggregate_sequence HAVING count(*) > 1", rs -> {
                    appliedTwice[0]++;
                    examples.add("order " + rs.getObject(1) + " sequence " + rs.getLong(2) + " processed "
                            + rs.getLong(3) + " times under different event ids");
                });
        return new BillingCounts(inboxRows[0], parked[0], appliedTwice[0]);
    }

    private Optional<Long> duplicatesSuppressed() {
        if (config.billingPrometheus().isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(config.billingPrometheus().get()).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            double sum = 0;
            boolean found = false;
            for (String line : response.body().split("\n")) {
                if (line.startsWith("billing_duplicates_suppressed_total")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? Optional.of((long) sum) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public static Optional<URI> prometheusOf(String baseUrl) {
        return Optional.of(URI.create(baseUrl + "/actuator/prometheus"));
    }

    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String url, String sql, RowHandler handler) {
        try (Connection connection = DriverManager.getConnection(url, config.dbUser(), config.dbPassword());
                Statement statement = connection.createStatement()) {
            statement.setFetchSize(5000);
            try (ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("verification query failed on " + url + ": " + sql, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500); // polling interval while the pipeline settles
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
