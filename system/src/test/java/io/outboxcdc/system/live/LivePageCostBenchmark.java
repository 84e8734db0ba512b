package io.outboxcdc.system.live;

import io.outboxcdc.system.OutboxCdc;
import io.outboxcdc.system.SystemUnderTest;
import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.testkit.Hold;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Not part of the suite (its name matches neither *Tests nor *IntegrationTests): does leaving the live page open
 * move the figures? The same paced load runs in alternating windows without and with the page open in headless
 * chromium; each window prints the CPU seconds of every process (this JVM = the up process and the load driver,
 * the three services, Kafka, PostgreSQL with its backends, chromium with its helpers), the achieved rate and
 * order commit -> invoice p50/p99 ({@code -Dlive.cost.rate=0}: no load, the page's own overhead alone). Run: ./mvnw -pl system verify -Dit.test=LivePageCostBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dlive.cost.rate=100 -Dlive.cost.seconds=60 -Dlive.cost.rounds=2]
 */
class LivePageCostBenchmark {

    private static final double RATE = Double.parseDouble(System.getProperty("live.cost.rate", "100"));
    private static final int SECONDS = Integer.getInteger("live.cost.seconds", 60);
    private static final int ROUNDS = Integer.getInteger("live.cost.rounds", 2);

    @Test
    void pageOpenVersusClosedUnderTheSameLoad() throws Exception {
        LocalStack stack = SystemUnderTest.start("live-page-cost", false);
        List<String> rows = new ArrayList<>();
        try (LivePage page = LivePage.start(stack, 0)) {
            // Warm-up: JIT, connection pools, topic metadata.
            load(stack, 20, Math.max(RATE, 50));
            awaitBilled(stack); // the warm-up's orders drain before the first window
            for (int round = 1; round <= ROUNDS; round++) {
                rows.add(window(stack, null, "closed", round));
                ChromeDriver browser = HeadlessChromium.start(SystemUnderTest.home("live-page-cost-browser"));
                try {
                    browser.get(page.url());
                    rows.add(window(stack, browser, "open", round));
                } finally {
                    browser.quit();
                }
            }
        } finally {
            stack.close();
        }
        System.out.println("\n| page | round | orders/s | commit->invoice p50 / p99 ms | CPU s: up JVM + load | order-app "
                + "| relay | billing | Kafka | PostgreSQL | chromium | total |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** Waits (bounded, through the shared verifier) until every committed order is billed. */
    private static void awaitBilled(LocalStack stack) {
        OutboxCdc.verifier(stack.config()).verify(Duration.ofSeconds(120), Optional.empty(), line -> { });
    }

    private static String window(LocalStack stack, ChromeDriver browser, String label, int round) throws Exception {
        Map<String, List<ProcessHandle>> processes = processes(stack, browser);
        Map<String, Double> before = cpu(processes);
        Instant from = Instant.now();
        if (RATE <= 0) {
            // The page's own overhead, without the noise of a load: an idle system, watched or not.
            Hold.forDuration(Duration.ofSeconds(SECONDS), "the idle measurement window");
        }
        LoadResult result = RATE <= 0 ? null : load(stack, SECONDS, RATE);
        Instant to = Instant.now();
        Map<String, Double> after = cpu(processes(stack, browser));
        StringBuilder row = new StringBuilder(String.format("| %s | %d |", label, round));
        if (result == null) {
            row.append(" idle | n/a |");
        } else {
            // Let billing finish the window's orders before reading their delays.
            awaitBilled(stack);
            long[] delay = delays(stack, from, to);
            row.append(String.format(" %.0f | %d / %d |", result.ordersPerSecond(), delay[0], delay[1]));
        }
        double total = 0;
        for (String name : List.of("up", "order-app", "relay", "billing", "kafka", "postgres", "chromium")) {
            double used = after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
            total += used;
            row.append(String.format(" %.1f |", used));
        }
        row.append(String.format(" %.1f |", total));
        System.out.println("[live-page-cost] " + row);
        return row.toString();
    }

    private static LoadResult load(LocalStack stack, int seconds, double rate) {
        int orders = (int) Math.round(rate * seconds);
        return new LoadDriver().run(new LoadPlan(URI.create(stack.config().orderAppUrl()), orders, 16, rate, 0.1,
                0.2, Duration.ofSeconds(60), 42), line -> { });
    }

    private static Map<String, List<ProcessHandle>> processes(LocalStack stack, ChromeDriver browser) {
        Map<String, List<ProcessHandle>> processes = new LinkedHashMap<>();
        processes.put("up", List.of(ProcessHandle.current()));
        processes.put("order-app", tree(stack.orderApp().pid()));
        processes.put("relay", tree(stack.relay().pid()));
        processes.put("billing", tree(stack.billing().pid()));
        processes.put("kafka", tree(stack.kafka().pid()));
        processes.put("postgres", tree(stack.postgres().postmasterPid().orElse(-1L)));
        if (browser != null) {
            // chromedriver is a child of this JVM; chromium and its renderers are its descendants.
            processes.put("chromium", ProcessHandle.current().children()
                    .filter(p -> p.info().command().orElse("").contains("chromedriver"))
                    .flatMap(p -> Stream.concat(Stream.of(p), p.descendants())).toList());
        }
        return processes;
    }

    private static List<ProcessHandle> tree(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        return root.map(p -> Stream.concat(Stream.of(p), p.descendants()).toList()).orElse(List.of());
    }

    /**
     * CPU seconds per part. A process that exits inside the window (a PostgreSQL backend) loses its time, the same
     * in both kinds of window; the kept processes (services, broker, pooled backends) carry the figure.
     */
    private static Map<String, Double> cpu(Map<String, List<ProcessHandle>> processes) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        processes.forEach((name, handles) -> seconds.put(name, handles.stream()
                .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(0.0)).sum()));
        return seconds;
    }

    private static long[] delays(LocalStack stack, Instant from, Instant to) throws SQLException {
        try (Connection c = stack.postgres().superuserDataSource(stack.layout().billingDatabase()).getConnection();
                PreparedStatement s = c.prepareStatement("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY d), "
                        + "percentile_disc(0.99) WITHIN GROUP (ORDER BY d) FROM (SELECT (extract(epoch FROM "
                        + "issued_at - order_created_at) * 1000)::bigint AS d FROM invoices "
                        + "WHERE order_created_at BETWEEN ? AND ?) w")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
