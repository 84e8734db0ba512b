package io.outboxcdc.runtime.process;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the system's Spring Boot services run from its jar as a separate OS process: started, awaited until
 * {@code /actuator/health} says UP, stopped with SIGTERM, killed with SIGKILL, started again with the same
 * arguments. The one way to launch a service jar: the local stack ({@code ./outbox-cdc}), the services' own
 * process tests, the end-to-end and failure-injection tests and the benchmarks all start services through it.
 */
public final class SpringBootService {

    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final int healthPort;
    private final List<String> arguments;
    private final List<String> jvmArguments;
    private final Path workingDirectory;
    private final Path logFile;
    private final Path classDataCache;
    private volatile JavaProcess process;
    private volatile ClassDataSharing.Launch classDataLaunch;
    private volatile Instant launchedAt;

    public SpringBootService(String name, Path jar, int healthPort, List<String> arguments, List<String> jvmArguments,
            Path workingDirectory, Path logFile) {
        this(name, jar, healthPort, arguments, jvmArguments, workingDirectory, logFile, null);
    }

    /**
     * @param classDataCache where the extracted jar and its AppCDS archive live (see {@link ClassDataSharing}), or
     *     null to run the executable jar as it is
     */
    public SpringBootService(String name, Path jar, int healthPort, List<String> arguments, List<String> jvmArguments,
            Path workingDirectory, Path logFile, Path classDataCache) {
        this.name = name;
        this.classDataCache = classDataCache;
        this.jar = jar.toAbsolutePath();
        this.healthPort = healthPort;
        this.arguments = List.copyOf(arguments);
        this.jvmArguments = List.copyOf(jvmArguments);
        this.workingDirectory = workingDirectory;
        this.logFile = logFile;
    }

    /** Starts the process without waiting for it to become healthy. */
    public synchronized void launch() {
        if (process != null && process.isAlive()) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": " + jar + " does not exist; build it with ./mvnw -DskipTests package");
        }
        // java -cp <jar>:<launcher> ExitWithParent JarLauncher = java -jar <jar>, but the service exits
        // (gracefully) when the JVM that started it dies.
        List<String> jvm = new ArrayList<>(jvmArguments);
        List<String> main;
        if (classDataCache != null) {
            classDataLaunch = ClassDataSharing.prepare(jar, classDataCache).launch(arguments);
            jvm.addAll(classDataLaunch.jvmFlags());
            main = classDataLaunch.main();
        } else {
            main = new ArrayList<>(List.of("-cp",
                    jar + java.io.File.pathSeparator + ExitWithParentLauncher.classpathEntry(workingDirectory),
                    ExitWithParentLauncher.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher"));
            main.addAll(arguments);
        }
        launchedAt = Instant.now();
        process = JavaProcess.start(name, jvm, main, Map.of(), workingDirectory, logFile);
    }

    /** When the current process was launched (null before the first launch). */
    public Instant launchedAt() {
        return launchedAt;
    }

    /** True if this launch maps an AppCDS archive made by an earlier one. */
    public boolean usesClassDataArchive() {
        ClassDataSharing.Launch launch = classDataLaunch;
        return launch != null && launch.pendingDump() == null;
    }

    /** Starts the process and waits until it reports UP. Returns the time to healthy. */
    public Duration start(Duration timeout) {
        Instant begin = Instant.now();
        launch();
        awaitHealthy(timeout);
        return Duration.between(begin, Instant.now());
    }

    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JavaProcess running = process;
            if (running == null || !running.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up (exit code "
                        + (running == null ? "?" : running.exitCode()) + "); see " + logFile);
            }
            if (isHealthy()) {
                return;
            }
            pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " was not healthy within " + timeout + "; see " + logFile);
    }

    public boolean isHealthy() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(healthUri())
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * SIGTERM and wait up to a minute for a graceful exit, then SIGKILL. Returns false if the service did not
     * exit on its own (it had to be killed): a failed graceful shutdown is a finding, not a detail.
     */
    public synchronized boolean stop() {
        JavaProcess running = process;
        if (running == null || !running.isAlive()) {
            return true;
        }
        running.terminate(GRACE);
        afterExit(running.exitedGracefully());
        return running.exitedGracefully();
    }

    /** SIGTERM without waiting, as an orchestrator sends it; see {@link #waitForExit}. */
    public void requestStop() {
        JavaProcess running = process;
        if (running != null && running.isAlive()) {
            ProcessHandle.of(running.pid()).ifPresent(ProcessHandle::destroy);
        }
    }

    /** True when the process has exited within {@code timeout} (or never ran). */
    public boolean waitForExit(Duration timeout) {
        JavaProcess running = process;
        return running == null || running.waitFor(timeout);
    }

    /** The exit code of the last process, -1 while it runs (or before the first launch). */
    public int exitCode() {
        JavaProcess running = process;
        return running == null ? -1 : running.exitCode();
    }

    /** SIGKILL. */
    public synchronized void kill() {
        JavaProcess running = process;
        if (running != null && running.isAlive()) {
            running.kill();
            afterExit(false);
        }
    }

    private void afterExit(boolean graceful) {
        ClassDataSharing.Launch launch = classDataLaunch;
        if (launch != null) {
            ClassDataSharing.afterExit(launch, graceful);
        }
    }

    public boolean isAlive() {
        JavaProcess running = process;
        return running != null && running.isAlive();
    }

    public long pid() {
        JavaProcess running = process;
        return running == null ? -1 : running.pid();
    }

    public String name() {
        return name;
    }

    /** The {@code --key=value} arguments the service is started with, e.g. to compare with other launchers. */
    public List<String> arguments() {
        return arguments;
    }

    public Path logFile() {
        return logFile;
    }

    public URI healthUri() {
        return URI.create("http://127.0.0.1:" + healthPort + "/actuator/health");
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // polling interval of a health probe, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
