package io.outboxcdc.billing.consumer;

import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged billing-consumer jar as its own OS process, started by the one service launcher
 * ({@link SpringBootService}) as the local stack starts it: a kill is a real one. Adds billing's probes (metrics).
 */
final class BillingProcess implements AutoCloseable {

    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final SpringBootService process;
    private final int port;

    private BillingProcess(SpringBootService process, int port) {
        this.process = process;
        this.port = port;
    }

    static BillingProcess start(TestInfrastructure infra, String name, Map<String, String> properties) {
        // C1 only: the tests want a quick start, not peak speed.
        return start(infra, name, properties, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
    }

    static BillingProcess start(TestInfrastructure infra, String name, Map<String, String> properties,
            List<String> jvmOptions) {
        Path jar = Path.of(System.getProperty("billing.jar", "target/billing-consumer.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first (mvn verify does)");
        }
        int port = FreePorts.pick();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + infra.billingJdbcUrl(),
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                // A killed member would otherwise hold its partitions for the default 45 s session timeout.
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000"));
        Map<String, String> all = new java.util.LinkedHashMap<>();
        // Per-effect lines, with the record's trace id, are DEBUG.
        all.put("logging.level.io.outboxcdc.billing.consumer.OrderEventsListener", "DEBUG");
        all.putAll(properties);
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        // Its own working directory: the jar must carry everything it needs (migrations included).
        Path workDir = Path.of("target", "billing-processes").toAbsolutePath();
        SpringBootService process = new SpringBootService(name, jar, port, args, jvmOptions, workDir,
                workDir.resolve(name + ".log"));
        process.launch();
        return new BillingProcess(process, port);
    }

    boolean waitForExit(Duration timeout) {
        return process.waitForExit(timeout);
    }

    int exitCode() {
        return process.exitCode();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() throws IOException {
        return Files.readString(process.logFile());
    }

    Path logFile() {
        return process.logFile();
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The first measurement of an actuator metric, e.g. a counter's COUNT. */
    double metric(String name) throws IOException, InterruptedException {
        Matcher matcher = VALUE.matcher(get("/actuator/metrics/" + name));
        if (!matcher.find()) {
            throw new IOException("no value for " + name);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /** One statistic (COUNT, TOTAL_TIME, MAX, VALUE) of an actuator metric. */
    double statistic(String name, String statistic) throws IOException, InterruptedException {
        Matcher matcher = Pattern.compile("\"statistic\"\\s*:\\s*\"" + statistic + "\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.Ee+-]+)")
                .matcher(get("/actuator/metrics/" + name));
        if (!matcher.find()) {
            throw new IOException("no " + statistic + " for " + name);
        }
        return Double.parseDouble(matcher.group(1));
    }

    @Override
    public void close() {
        process.stop();
    }
}
