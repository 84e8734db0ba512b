package io.outboxcdc.relay.support;

import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.runtime.process.SpringBootService;
import io.outboxcdc.testkit.junit.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The relay's repackaged jar started as its own JVM (through the one service launcher, {@link SpringBootService}), so
 * that it can be SIGKILLed or SIGTERMed; adds the relay's own probes (health phase, Actuator endpoints, metrics).
 */
public final class RelayProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final SpringBootService process;
    private final int port;

    private RelayProcess(SpringBootService process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RelayProcess start(String name, TestInfrastructure infra, String topic, String offsetsTopic,
            String... extraArgs) {
        Path jar = Path.of("target", "outbox-relay.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first");
        }
        int port = FreePorts.pick();
        List<String> args = new ArrayList<>(List.of(
                "--management.server.port=" + port,
                "--relay.database.host=localhost",
                "--relay.database.port=" + infra.postgres().port(),
                "--relay.database.name=" + infra.layout().ordersDatabase(),
                "--relay.slot-name=" + infra.layout().replicationSlot(),
                "--relay.publication=" + infra.layout().publication(),
                "--relay.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--relay.offsets.topic=" + offsetsTopic,
                "--relay.topic-for-aggregate-type.order=" + topic,
                "--relay.supervision.initial-backoff=500ms",
                "--relay.supervision.max-backoff=4s",
                "--relay.streaming.heartbeat-interval=2s"));
        args.addAll(List.of(extraArgs));
        Path log = Path.of("target", "relay-logs", name + "-" + System.currentTimeMillis() + ".log");
        SpringBootService process = new SpringBootService(name, jar, port, args,
                List.of("-Xmx384m", "-XX:+UseSerialGC"), Path.of("target").toAbsolutePath(), log);
        process.launch();
        return new RelayProcess(process, port);
    }

    /** The body of /actuator/health, or a description of why there is none. */
    public String health() {
        if (!process.isAlive()) {
            throw new IllegalStateException(process.name() + " exited with " + process.exitCode() + "; see "
                    + process.logFile());
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/relay")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    /** GET of an Actuator path, e.g. {@code deadletter}: the body. */
    public String actuator(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    /** POST of a JSON body to an Actuator path: the HTTP status. */
    public int postActuator(String path, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("POST /actuator/" + path + " failed", e);
        }
    }

    /** The value of a Prometheus sample line, e.g. {@code relay_records_skipped_total{kind="message"}}; 0 if absent. */
    public double metric(String sample) {
        for (String line : prometheus().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    public String prometheus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    public boolean isStreaming() {
        String health = health();
        return health.contains("\"UP\"") && health.contains("STREAMING");
    }

    public boolean isStandby() {
        String health = health();
        return health.contains("\"UP\"") && health.contains("\"standby\"");
    }

    public boolean isDown() {
        return health().contains("\"DOWN\"");
    }

    public void kill() {
        process.kill();
    }

    /** SIGTERM, SIGKILL after a minute; the exit code. */
    public int terminate() {
        process.stop();
        return process.exitCode();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM without waiting, as an orchestrator sends it; see {@link #awaitExit}. */
    public void sigterm() {
        process.requestStop();
    }

    /** True when the process exited within the timeout. */
    public boolean awaitExit(Duration timeout) {
        return process.waitForExit(timeout);
    }

    /** jcmd Thread.print of the live process: what a failed stop assertion needs to say where it hangs. */
    public String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (Exception e) {
            return "no thread dump: " + e;
        }
    }

    public String log() {
        try {
            return Files.readString(process.logFile());
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return process.name() + " (pid " + process.pid() + ", log " + process.logFile() + ")";
    }
}
