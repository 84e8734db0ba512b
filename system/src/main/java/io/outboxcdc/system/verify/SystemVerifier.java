package io.outboxcdc.system.verify;

import java.math.BigDecimal;
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
 * billing database, waits (up to a settle timeout) until every committed order has its right invoice, and
 * reports what it found. The {@code verify} command and the end-to-end tests share this one implementation.
 */
public final class SystemVerifier {

    private final VerifierConfig config;

    public SystemVerifier(VerifierConfig config) {
        this.config = config;
    }

    record OrderRow(UUID id, String status, BigDecimal total, String currency, long eventSequence, Instant createdAt) {
        String expectedInvoiceStatus() {
            return "CANCELLED".equals(status) ? "VOIDED" : "ISSUED";
        }
    }

    record InvoiceRow(UUID orderId, String status, BigDecimal amount, String currency, Instant issuedAt) {
    }

    /**
     * @param acknowledged order ids a client saw acknowledged (2xx), if known: each must be committed
     */
    public VerificationReport verify(Duration settleTimeout, Optional<Set<UUID>> acknowledged, Consumer<String> progress) {
        long begin = System.nanoTime();
        long deadline = begin + settleTimeout.toNanos();
        Map<UUID, OrderRow> orders;
        Map<UUID, InvoiceRow> invoices;
        long mismatched;
        while (true) {
            orders = loadOrders();
            invoices = loadInvoices();
            mismatched = mismatches(orders, invoices, null);
            if (mismatched == 0 || System.nanoTime() > deadline) {
                break;
            }
            progress.accept(String.format("  settling: %d of %d orders not yet billed in their final state",
                    mismatched, orders.size()));
            pause();
        }
        boolean settled = mismatched == 0;
        double settledAfter = (System.nanoTime() - begin) / 1e9;

        List<String> examples = new ArrayList<>();
        long missing = mismatches(orders, invoices, examples);
        long orphans = 0;
        for (InvoiceRow invoice : invoices.values()) {
            if (!orders.containsKey(invoice.orderId())) {
                orphans++;
                example(examples, "orphan invoice for order " + invoice.orderId());
            }
        }

        Set<UUID> outboxIds = loadOutboxEventIds();
        TopicScan.Scanned topic = TopicScan.scan(config.kafkaBootstrapServers(), config.topic());
        long lost = 0;
        for (UUID id : outboxIds) {
            if (!topic.eventIds().contains(id)) {
                lost++;
                example(examples, "outbox event " + id + " is not on topic " + config.topic());
            }
        }
        long gaps = 0;
        for (OrderRow order : orders.values()) {
            Set<Long> seen = topic.sequencesByKey().getOrDefault(order.id().toString(), Set.of());
            for (long seq = 1; seq <= order.eventSequence(); seq++) {
                if (!seen.contains(seq)) {
                    gaps++;
                    example(examples, "order " + order.id() + " has no event with sequence " + seq + " on the topic");
                    break;
                }
            }
        }
        Map<UUID, OrderRow> committed = orders;
        long ackNotCommitted = acknowledged.map(ids -> ids.stream().filter(id -> !committed.containsKey(id)).count())
                .orElse(0L);

        BillingCounts billing = billingCounts(examples);
        long expectedEvents = orders.values().stream().mapToLong(OrderRow::eventSequence).sum();
        long cancelled = orders.values().stream().filter(o -> "CANCELLED".equals(o.status())).count();
        long issued = invoices.values().stream().filter(i -> "ISSUED".equals(i.status())).count();
        long voided = invoices.values().stream().filter(i -> "VOIDED".equals(i.status())).count();
        long doubleEffects = billing.doubleEffects();
        VerificationReport.Percentiles delay = delays(orders, invoices);
        boolean passed = missing == 0 && doubleEffects == 0 && orphans == 0 && lost == 0 && gaps == 0
                && ackNotCommitted == 0;
        return new VerificationReport(orders.size(), cancelled, outboxIds.size(), expectedEvents, topic.records(),
                topic.duplicates(), lost, billing.inboxRows(), duplicatesSuppressed().orElse(null), billing.parked(),
                TopicScan.count(config.kafkaBootstrapServers(), config.deadLetterTopic()), issued, voided, missing,
                doubleEffects, orphans, gaps, ackNotCommitted, delay, settledAfter, settled,
                List.copyOf(examples), passed);
    }

    private static long mismatches(Map<UUID, OrderRow> orders, Map<UUID, InvoiceRow> invoices, List<String> examples) {
        long count = 0;
        for (OrderRow order : orders.values()) {
            InvoiceRow invoice = invoices.get(order.id());
            boolean right = invoice != null && invoice.status().equals(order.expectedInvoiceStatus())
                    && invoice.amount().compareTo(order.total()) == 0 && invoice.currency().equals(order.currency());
            if (!right) {
                count++;
                if (examples != null) {
                    example(examples, "order " + order.id() + " (" + order.status() + ", " + order.total() + " "
                            + order.currency() + ") has invoice " + invoice);
                }
            }
        }
        return count;
    }

    private static VerificationReport.Percentiles delays(Map<UUID, OrderRow> orders, Map<UUID, InvoiceRow> invoices) {
        List<Long> delays = new ArrayList<>();
        for (InvoiceRow invoice : invoices.values()) {
            OrderRow order = orders.get(invoice.orderId());
            if (order != null) {
                delays.add(Math.max(0, Duration.between(order.createdAt(), invoice.issuedAt()).toMillis()));
            }
        }
        if (delays.isEmpty()) {
            return new VerificationReport.Percentiles(0, 0, 0, 0);
        }
        delays.sort(null);
        return new VerificationReport.Percentiles(delays.size(), percentile(delays, 0.50), percentile(delays, 0.99),
                delays.get(delays.size() - 1));
    }

    private static long percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
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

    private Set<UUID> loadOutboxEventIds() {
        Set<UUID> ids = new HashSet<>();
        query(config.ordersJdbcUrl(), "SELECT id FROM outbox WHERE aggregate_type = 'order'",
                rs -> ids.add((UUID) rs.getObject(1)));
        return ids;
    }

    private record BillingCounts(long inboxRows, long parked, long doubleEffects) {
    }

    private BillingCounts billingCounts(List<String> examples) {
        long[] inboxRows = new long[1];
        long[] parked = new long[1];
        long[] doubleEffects = new long[1];
        query(config.billingJdbcUrl(), "SELECT count(*) FROM processed_events", rs -> inboxRows[0] = rs.getLong(1));
        query(config.billingJdbcUrl(), "SELECT count(*) FROM parked_events", rs -> parked[0] = rs.getLong(1));
        // Two inbox rows for one (order, sequence) mean one logical event took effect twice under two ids.
        query(config.billingJdbcUrl(), "SELECT order_id, aggregate_sequence, count(*) FROM processed_events "
                + "GROUP BY order_id, aggregate_sequence HAVING count(*) > 1", rs -> {
                    doubleEffects[0]++;
                    example(examples, "order " + rs.getObject(1) + " sequence " + rs.getLong(2) + " applied "
                            + rs.getLong(3) + " times");
                });
        query(config.billingJdbcUrl(), "SELECT order_id, count(*) FROM invoices GROUP BY order_id HAVING count(*) > 1",
                rs -> doubleEffects[0]++);
        return new BillingCounts(inboxRows[0], parked[0], doubleEffects[0]);
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

    private static void example(List<String> examples, String text) {
        if (examples.size() < 10) {
            examples.add(text);
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
