package io.outboxcdc.runtime.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as its own OS process, with its output appended to a log file, that can be stopped
 * gracefully (SIGTERM) or killed (SIGKILL). Fault injection relies on the difference.
 */
public final class JavaProcess {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final OutputStream stdin;
    private volatile boolean forced;

    private JavaProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        // Held open on purpose: children started through ExitWithParent exit when it closes.
        this.stdin = process.getOutputStream();
    }

    /** Starts {@code java <jvmArgs> <mainArgs>}; {@code mainArgs} is e.g. {@code -jar app.jar} or {@code -cp cp Main}. */
    public static JavaProcess start(String name, List<String> jvmArgs, List<String> mainArgs, Map<String, String> env,
            Path workingDirectory, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.addAll(mainArgs);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.createDirectories(workingDirectory);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            return new JavaProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGTERM, then SIGKILL if the process has not exited within the grace period. Returns the exit code. */
    public int terminate(Duration grace) {
        process.destroy();
        if (!waitFor(grace)) {
            forced = true;
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
        return exitCode();
    }

    /** True unless the last {@link #terminate} had to fall back to SIGKILL. */
    public boolean exitedGracefully() {
        return !forced;
    }

    /** SIGKILL: no shutdown hooks, no flushing, nothing graceful. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + logFile + ")";
    }
}
