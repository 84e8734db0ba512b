package io.outboxcdc.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * JDK Flight Recorder on every JVM of the system for one measured window, with JFR's {@code profile} settings
 * (CPU samples every 10 ms per running Java thread, allocation samples): the other JVMs through {@code jcmd
 * <pid> JFR.start / JFR.dump}, the benchmark JVM (the load generator) in-process.
 */
public final class FlightRecordings implements AutoCloseable {

    private static final String NAME = "bench-profile";

    private final Path directory;
    private final Map<String, Long> pids;
    private final Recording own;

    private FlightRecordings(Path directory, Map<String, Long> pids, Recording own) {
        this.directory = directory;
        this.pids = pids;
        this.own = own;
    }

    /** Starts a recording in each JVM of {@code pids} (name → pid; the benchmark's own pid is recorded in-process). */
    public static FlightRecordings start(Path directory, Map<String, Long> pids) throws Exception {
        Files.createDirectories(directory);
        long self = ProcessHandle.current().pid();
        Recording own = null;
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            if (e.getValue() == self) {
                own = new Recording(Configuration.getConfiguration("profile"));
                own.setName(NAME);
                own.start();
            } else if (e.getValue() > 0) {
                try {
                    jcmd(e.getValue(), "JFR.start", "name=" + NAME, "settings=profile");
                } catch (IOException ex) {
                    System.out.println("[bench]   no JFR for " + e.getKey() + ": " + ex.getMessage());
                }
            }
        }
        return new FlightRecordings(directory, new LinkedHashMap<>(pids), own);
    }

    /** Stops every recording; returns name → .jfr file (missing entries: that JVM could not be recorded). */
    public Map<String, Path> stop() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            Path file = directory.resolve(e.getKey() + ".jfr").toAbsolutePath();
            Files.deleteIfExists(file);
            if (e.getValue() == self && own != null) {
                own.stop();
                own.dump(file);
                own.close();
            } else if (e.getValue() > 0) {
                try {
                    jcmd(e.getValue(), "JFR.dump", "name=" + NAME, "filename=" + file);
                    jcmd(e.getValue(), "JFR.stop", "name=" + NAME);
                } catch (IOException ex) {
                    System.out.println("[bench]   no JFR for " + e.getKey() + ": " + ex.getMessage());
                }
            }
            if (Files.isRegularFile(file)) {
                files.put(e.getKey(), file);
            }
        }
        return files;
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> args = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + String.join(" ", command) + " failed: " + output.trim());
        }
    }
}
