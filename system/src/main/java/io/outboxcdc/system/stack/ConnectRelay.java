package io.outboxcdc.system.stack;

import io.outboxcdc.runtime.kafka.ConnectWorker;
import io.outboxcdc.runtime.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relay on Kafka Connect ({@code up --relay=connect}): a distributed Connect group of worker processes with
 * exactly-once source support, running the relay's connector instead of the embedded relay. The connector JSON is
 * printed by the relay's own jar from the very arguments the embedded relay would get (ConnectorJsonCommand in
 * outbox-relay), then registered through the workers' REST API ({@code POST /connectors} the first time).
 */
public final class ConnectRelay implements AutoCloseable {

    public static final String GROUP_ID = "outbox-relay-connect";
    private static final String JSON_COMMAND = "io.outboxcdc.relay.connect.ConnectorJsonCommand";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<ConnectWorker> workers;
    private final Path relayJar;
    private final List<String> relayArguments;
    private final Path directory;
    private final boolean exactlyOnce;
    private final Consumer<String> out;
    private volatile String connectorJson;

    /**
     * @param relayArguments the embedded relay's command line in this stack: the connector gets the same settings
     * @param restPorts one REST port per worker
     */
    public ConnectRelay(Path relayJar, List<String> relayArguments, Path directory, Path logs, List<Integer> restPorts,
            String bootstrapServers, short replicationFactor, boolean exactlyOnce, Consumer<String> out) {
        this.relayJar = relayJar;
        this.relayArguments = List.copyOf(relayArguments);
        this.directory = directory.toAbsolutePath();
        this.exactlyOnce = exactlyOnce;
        this.out = out;
        ConnectWorker.Group group = new ConnectWorker.Group(GROUP_ID, bootstrapServers, replicationFactor, exactlyOnce);
        List<ConnectWorker> list = new ArrayList<>();
        for (int i = 0; i < restPorts.size(); i++) {
            String name = "connect-worker-" + (i + 1);
            list.add(new ConnectWorker(name, this.directory.resolve(name), restPorts.get(i), group,
                    logs.resolve(name + ".log")));
        }
        this.workers = List.copyOf(list);
    }

    /** Starts every worker, registers (or updates) the connector and waits until its task runs. */
    public void start(Duration timeout) {
        CompletableFuture<String> json = CompletableFuture.supplyAsync(this::generateConnectorJson);
        List<CompletableFuture<Duration>> starts = workers.stream()
                .map(worker -> CompletableFuture.supplyAsync(worker::start)).toList();
        try {
            for (int i = 0; i < workers.size(); i++) {
                ConnectWorker worker = workers.get(i);
                out.accept(String.format("%-16s up in %5d ms  (REST %s, pid %d)", worker.name(),
                        starts.get(i).join().toMillis(), worker.restUrl(), worker.pid()));
            }
            connectorJson = json.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        register(connectorJson);
        awaitTaskRunning(timeout);
    }

    /** The connector as registered: the body of {@code POST /connectors}. */
    public String connectorJson() {
        if (connectorJson == null) {
            connectorJson = generateConnectorJson();
        }
        return connectorJson;
    }

    public String connectorName() {
        return JSON.readTree(connectorJson()).path("name").asString();
    }

    public List<ConnectWorker> workers() {
        return workers;
    }

    /** The worker the group assigned the connector's task to, if a running worker holds it. */
    public Optional<ConnectWorker> taskWorker() {
        JsonNode task = status().path("tasks").path(0);
        String workerId = task.path("worker_id").asString("");
        return workers.stream().filter(w -> w.workerId().equals(workerId) && w.isRunning()).findFirst();
    }

    /** {@code GET /connectors/{name}/status} from any running worker. */
    public JsonNode status() {
        return JSON.readTree(get("/connectors/" + connectorName() + "/status"));
    }

    /** True when the task runs on a live worker (after a kill, the group first reports the dead one). */
    public boolean taskRunning() {
        try {
            JsonNode task = status().path("tasks").path(0);
            return "RUNNING".equals(task.path("state").asString("")) && taskWorker().isPresent();
        } catch (RuntimeException notAnswering) {
            return false;
        }
    }

    public void awaitTaskRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode status = status();
                last = status.toString();
                JsonNode task = status.path("tasks").path(0);
                if ("FAILED".equals(task.path("state").asString(""))) {
                    throw new IllegalStateException("the relay's connector task failed: " + task.path("trace")
                            .asString("").lines().limit(5).toList() + "; see " + workers.get(0).logFile());
                }
                if (taskRunning()) {
                    return;
                }
            } catch (UncheckedIOException | IllegalArgumentException | tools.jackson.core.JacksonException e) {
                last = e.getMessage();
            }
            pause();
        }
        throw new IllegalStateException("the relay's connector task was not RUNNING within " + timeout + " (" + last
                + "); see " + workers.get(0).logFile());
    }

    /**
     * {@code PUT /connectors/{name}/stop} (KIP-875) and waits until the connector is STOPPED with no task: unlike
     * pause, which keeps Debezium's streaming thread reading the WAL into its queue, a stopped connector has no
     * task and no replication connection, while its offsets stay; the workers (and their compiled code) stay up.
     */
    public void stopConnector(Duration timeout) {
        put("/connectors/" + connectorName() + "/stop");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            JsonNode status = status();
            last = status.toString();
            if ("STOPPED".equals(status.path("connector").path("state").asString(""))
                    && status.path("tasks").isEmpty()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("the relay's connector was not STOPPED within " + timeout + " (" + last + ")");
    }

    /** {@code PUT /connectors/{name}/resume} after {@link #stopConnector}: the group starts the task again. */
    public void resumeConnector() {
        put("/connectors/" + connectorName() + "/resume");
    }

    private void put(String path) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(liveWorker().restUrl().resolve(path))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + path + ": HTTP " + answer.statusCode() + " " + answer.body());
        }
    }

    @Override
    public void close() {
        for (ConnectWorker worker : workers) {
            try {
                worker.stop();
            } catch (RuntimeException e) {
                out.accept("could not stop " + worker.name() + ": " + e.getMessage());
            }
        }
    }

    /** Creates the connector ({@code POST /connectors}), or replaces its configuration if it exists already. */
    private void register(String body) {
        JsonNode connector = JSON.readTree(body);
        String name = connector.path("name").asString();
        URI base = liveWorker().restUrl();
        HttpResponse<String> existing = send(HttpRequest.newBuilder(base.resolve("/connectors/" + name)).GET());
        HttpResponse<String> answer = existing.statusCode() == 404
                ? send(HttpRequest.newBuilder(base.resolve("/connectors"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)))
                : send(HttpRequest.newBuilder(base.resolve("/connectors/" + name + "/config"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(connector.path("config").toString())));
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("Kafka Connect refused the relay's connector: HTTP " + answer.statusCode()
                    + " " + answer.body());
        }
        out.accept("connector " + name + (existing.statusCode() == 404 ? " created" : " configuration updated")
                + " (exactly-once source " + (exactlyOnce ? "required" : "off") + ")");
    }

    private String generateConnectorJson() {
        return connectorJson(relayJar, relayArguments, exactlyOnce, directory);
    }

    /**
     * Runs the relay's jar ({@code ConnectorJsonCommand}) to print its connector JSON from {@code relayArguments},
     * the arguments the embedded relay would be started with; output and errors are kept in {@code directory}.
     */
    public static String connectorJson(Path relayJar, List<String> relayArguments, boolean exactlyOnce,
            Path directory) {
        if (!Files.isRegularFile(relayJar)) {
            throw new IllegalStateException(relayJar + " does not exist; build it with ./mvnw -DskipTests package");
        }
        List<String> command = new ArrayList<>(List.of(JavaProcess.javaExecutable(), "-Xmx128m", "-cp",
                relayJar.toString(), "-Dloader.main=" + JSON_COMMAND,
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        command.addAll(relayArguments);
        command.add("--connect.exactly-once=" + exactlyOnce);
        try {
            Files.createDirectories(directory);
            Path output = directory.resolve("connector.json");
            Path errors = directory.resolve("connector-json.err");
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(errors.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the relay's connector JSON command did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the relay's connector JSON command failed: "
                        + Files.readString(errors).trim());
            }
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private ConnectWorker liveWorker() {
        return workers.stream().filter(ConnectWorker::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Kafka Connect worker is running"));
    }

    private String get(String path) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(liveWorker().restUrl().resolve(path)).GET());
        if (answer.statusCode() != 200) {
            throw new IllegalArgumentException("GET " + path + ": HTTP " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500); // polling the connector's status, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
