package io.outboxcdc.system;

import io.outboxcdc.contracts.LocalPorts;
import io.outboxcdc.runtime.kafka.KafkaBroker;
import io.outboxcdc.runtime.postgres.PostgresServer;
import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.runtime.process.JavaProcess;
import io.outboxcdc.system.live.LivePage;
import io.outboxcdc.system.load.LoadDriver;
import io.outboxcdc.system.load.LoadPlan;
import io.outboxcdc.system.load.LoadResult;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.RelayRunner;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.system.verify.SystemVerifier;
import io.outboxcdc.system.verify.VerificationReport;
import io.outboxcdc.system.verify.VerifierConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The {@code ./outbox-cdc} command: up, stop, load, verify, kafka-console-consumer. */
public final class OutboxCdc {

    private static final String USAGE = """
            usage: ./outbox-cdc <command> [--option=value ...]

              up        start PostgreSQL, Kafka, order-app, outbox-relay and billing-consumer; Ctrl-C stops all
                        --clean                 delete the data folder first (start from nothing)
                        --data-dir=PATH         state folder (default .outbox-cdc/ in the checkout)
                        --postgres-port=%d --kafka-port=%d --kafka-controller-port=%d
                        --order-app-port=8080 --relay-port=8081 --billing-port=8082
                        --live-port=8090        the live pipeline page (on localhost only); --no-live: no page
                        --brokers=1             3: a 3-node KRaft cluster (replication factor 3, min.insync.replicas 2;
                                                node n on --kafka-port/--kafka-controller-port + 10(n-1)); see docs/scale-out.md
                        --relay=embedded        connect: the relay's connector on a Kafka Connect group of 2 workers
                                                (REST on --connect-port=8083 and +1; --connect-exactly-once=true)
              stop      stop a running 'up' (from another terminal)
              load      drive order-app through REST, then verify
                        --orders=1000 --concurrency=16 --rate=0 (orders/s, 0 = unpaced)
                        --retry-share=0.1 --cancel-share=0.2 --settle-seconds=60 --no-verify --json=FILE
              verify    check every committed order was billed exactly once; exit 1 if not
                        --settle-seconds=60 --json=FILE (also print JSON to stdout with --json=-)
              invoices  the latest invoices from the billing database (no psql needed)
                        --order=<order id> --limit=20
              kafka-console-consumer [Kafka ConsoleConsumer options]
                        Kafka's own console consumer against the local broker, e.g.
                        ./outbox-cdc kafka-console-consumer --topic orders --from-beginning --property print.key=true --property print.headers=true

            Every option can also be set as an environment variable: --order-app-port -> OUTBOXCDC_ORDER_APP_PORT.
            """.formatted(LocalPorts.POSTGRES, LocalPorts.KAFKA, LocalPorts.KAFKA_CONTROLLER);

    private OutboxCdc() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        String command = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        try {
            int status = switch (command) {
                case "up" -> up(options(rest));
                case "stop" -> stop(options(rest));
                case "load" -> load(options(rest));
                case "verify" -> verify(options(rest));
                case "invoices" -> invoices(options(rest));
                case "kafka-console-consumer" -> consoleConsumer(rest);
                default -> {
                    System.err.println("unknown command '" + command + "'\n");
                    System.err.print(USAGE);
                    yield 2;
                }
            };
            System.exit(status);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("outbox-cdc " + command + ": " + e.getMessage());
            System.exit(2);
        } catch (java.sql.SQLException e) {
            System.err.println("outbox-cdc " + command + ": cannot read the database (is the stack up?): "
                    + e.getMessage());
            System.exit(2);
        }
    }

    private static int up(Map<String, String> options) throws InterruptedException, IOException {
        StackConfig config = StackConfig.from(options, System.getenv());
        boolean live = !options.containsKey("no-live");
        int livePort = LivePage.port(options, System.getenv());
        if (options.containsKey("clean")) {
            LocalStack.deleteData(config);
            System.out.println("Deleted " + config.dataDirectory());
        }
        Files.createDirectories(config.dataDirectory());
        Path pidFile = config.dataDirectory().resolve("stack.pid");
        LocalStack stack = new LocalStack(config, System.out::println)
                .runRelayOn(RelayRunner.from(options, System.getenv()));
        stack.checkPortsFree();
        if (live && !FreePorts.isFree(livePort)) {
            throw new IllegalStateException("port " + livePort + " (--live-port) is already in use. Stop what uses it"
                    + " or pick another port, e.g. --live-port=<port> (or --no-live for no page).");
        }
        AtomicReference<LivePage> page = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping outbox-cdc ...");
            LivePage running = page.get();
            if (running != null) {
                running.close();
            }
            stack.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // Nothing to do: the next 'up' overwrites it.
            }
            System.out.println("Stopped. State kept in " + config.dataDirectory());
            stopped.countDown();
        }, "outbox-cdc-stop"));
        Files.writeString(pidFile, String.valueOf(ProcessHandle.current().pid()));
        System.out.println("Starting outbox-cdc (data in " + config.dataDirectory() + ") ...");
        try {
            stack.start();
            if (live) {
                page.set(LivePage.start(stack, livePort));
            }
        } catch (RuntimeException e) {
            System.err.println("outbox-cdc up: " + e.getMessage());
            return 1;
        }
        System.out.println(banner(stack, Optional.ofNullable(page.get())));
        stopped.await();
        return 0;
    }

    private static String banner(LocalStack stack, Optional<LivePage> page) {
        StackConfig c = stack.config();
        return String.join("\n",
                "",
                "outbox-cdc is running. Ctrl-C (or ./outbox-cdc stop) stops everything; state survives in " + c.dataDirectory(),
                "",
                "  Live page         " + page.map(LivePage::url).orElse("off (--no-live)")
                        + "  (numbers, health, failure buttons)",
                "  REST API          " + c.orderAppUrl() + "/orders",
                "  Swagger UI        " + c.orderAppUrl() + "/swagger-ui.html",
                "  OpenAPI           " + c.orderAppUrl() + "/v3/api-docs",
                "  order-app         " + c.orderAppUrl() + "/actuator  (health, prometheus)",
                stack.connectRelay().map(connect -> "  outbox-relay      on Kafka Connect: "
                        + connect.workers().stream().map(w -> w.restUrl() + "/connectors/" + connect.connectorName()
                                + "/status").collect(java.util.stream.Collectors.joining("  ")))
                        .orElse("  outbox-relay      http://localhost:" + c.relayPort() + "/actuator"),
                "  billing-consumer  http://localhost:" + c.billingPort() + "/actuator",
                "  PostgreSQL        " + c.jdbcUrl("orders") + " and .../billing",
                "                    superuser postgres (no password, local trust auth); app roles order_app/order_app,",
                "                    billing_app/billing_app, outbox_relay/outbox_relay (REPLICATION)",
                "  Kafka             " + c.kafkaBootstrapServers() + "  topics orders, orders.DLT",
                "  Logs              " + c.logs() + "  (postgres: " + c.dataDirectory().resolve("postgres") + "/log,"
                        + " kafka: " + (stack.kafkaCluster().size() == 1 ? stack.kafka().logFile()
                                : stack.kafka().directory().resolveSibling("broker-*").resolve("broker.log")) + ")",
                "");
    }

    private static int stop(Map<String, String> options) throws IOException {
        StackConfig config = StackConfig.from(options, System.getenv());
        Path pidFile = config.dataDirectory().resolve("stack.pid");
        if (!Files.exists(pidFile)) {
            System.out.println("outbox-cdc is not running (no " + pidFile + ")");
            return 0;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            Files.deleteIfExists(pidFile);
            System.out.println("outbox-cdc was not running (stale pid " + pid + ")");
            return 0;
        }
        System.out.println("Stopping outbox-cdc (pid " + pid + ") ...");
        handle.get().destroy();
        handle.get().onExit().orTimeout(180, java.util.concurrent.TimeUnit.SECONDS).join();
        System.out.println("Stopped.");
        return 0;
    }

    private static int load(Map<String, String> options) throws IOException {
        StackConfig config = StackConfig.from(options, System.getenv());
        LoadPlan plan = new LoadPlan(URI.create(config.orderAppUrl()), intOption(options, "orders", 1000),
                intOption(options, "concurrency", 16), doubleOption(options, "rate", 0),
                doubleOption(options, "retry-share", 0.1), doubleOption(options, "cancel-share", 0.2),
                Duration.ofSeconds(intOption(options, "give-up-seconds", 60)), intOption(options, "seed", 42));
        System.out.printf("Placing %d orders on %s with %d clients%s ...%n", plan.orders(), plan.orderApp(),
                plan.concurrency(), plan.ratePerSecond() > 0 ? " at " + plan.ratePerSecond() + " orders/s" : "");
        LoadResult result = new LoadDriver().run(plan, System.out::println);
        System.out.println(result.summary());
        if (options.containsKey("no-verify")) {
            return result.idempotencyViolations() == 0 ? 0 : 1;
        }
        VerificationReport report = verifier(config).verify(settle(options),
                Optional.of(result.acknowledgedOrders()), System.out::println);
        return report(report, options) && result.idempotencyViolations() == 0 ? 0 : 1;
    }

    private static int verify(Map<String, String> options) throws IOException {
        StackConfig config = StackConfig.from(options, System.getenv());
        VerificationReport report = verifier(config).verify(settle(options), Optional.empty(), System.out::println);
        return report(report, options) ? 0 : 1;
    }

    private static boolean report(VerificationReport report, Map<String, String> options) throws IOException {
        String json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValueAsString(report);
        String target = options.get("json");
        if ("-".equals(target)) {
            System.out.println(json);
        } else {
            System.out.print(report.toText());
            if (target != null) {
                Files.writeString(Path.of(target), json);
                System.out.println("JSON report written to " + target);
            }
        }
        return report.passed();
    }

    public static SystemVerifier verifier(StackConfig config) {
        return new SystemVerifier(new VerifierConfig(config.jdbcUrl("orders"), config.jdbcUrl("billing"),
                PostgresServer.SUPERUSER, "", config.kafkaBootstrapServers(), LocalStack.ORDERS_TOPIC,
                LocalStack.DEAD_LETTER_TOPIC, SystemVerifier.prometheusOf("http://localhost:" + config.billingPort())));
    }

    private static int invoices(Map<String, String> options) throws java.sql.SQLException {
        StackConfig config = StackConfig.from(options, System.getenv());
        String order = options.get("order");
        if (order != null) {
            try {
                order = java.util.UUID.fromString(order).toString();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--order must be an order id (a UUID), got '" + order + "'");
            }
        }
        String sql = "SELECT order_id, status, amount, currency, issued_at, voided_at FROM invoices"
                + (order == null ? "" : " WHERE order_id = ?::uuid") + " ORDER BY updated_at DESC LIMIT ?";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(config.jdbcUrl("billing"),
                        PostgresServer.SUPERUSER, "");
                java.sql.PreparedStatement statement = c.prepareStatement(sql)) {
            int index = 1;
            if (order != null) {
                statement.setString(index++, order);
            }
            statement.setInt(index, intOption(options, "limit", 20));
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                System.out.printf("%-36s  %-7s  %12s  %-3s  %-27s  %s%n", "order_id", "status", "amount", "cur",
                        "issued_at", "voided_at");
                while (rows.next()) {
                    System.out.printf("%-36s  %-7s  %12s  %-3s  %-27s  %s%n", rows.getString(1), rows.getString(2),
                            rows.getBigDecimal(3).toPlainString(), rows.getString(4),
                            rows.getTimestamp(5).toInstant(), rows.getTimestamp(6) == null ? "" : rows.getTimestamp(6).toInstant());
                }
            }
        }
        return 0;
    }

    private static int consoleConsumer(List<String> args) throws InterruptedException {
        StackConfig config = StackConfig.from(Map.of(), System.getenv());
        List<String> command = new ArrayList<>(List.of(JavaProcess.javaExecutable(), "-cp", KafkaBroker.classpath(),
                "-Dlog4j2.level=WARN", "org.apache.kafka.tools.consumer.ConsoleConsumer",
                "--bootstrap-server", config.kafkaBootstrapServers()));
        command.addAll(args);
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not start Kafka's console consumer: " + e.getMessage(), e);
        }
    }

    private static Duration settle(Map<String, String> options) {
        return Duration.ofSeconds(intOption(options, "settle-seconds", 60));
    }

    static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options look like --name=value)");
            }
            int eq = arg.indexOf('=');
            if (eq < 0) {
                options.put(arg.substring(2), "true");
            } else {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        return options;
    }

    private static int intOption(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    private static double doubleOption(Map<String, String> options, String name, double fallback) {
        String value = options.get(name);
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
        }
    }
}
