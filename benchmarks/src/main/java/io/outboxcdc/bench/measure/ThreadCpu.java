package io.outboxcdc.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time per thread group of one process, from {@code /proc/<pid>/task/<tid>/stat}: the thread's name with its
 * digits folded ({@code GC Thread#0}, {@code GC Thread#1} → {@code GC Thread#}; Linux keeps 15 characters). This
 * shows what sampling profilers do not: garbage collection, JIT compilation and time in native code.
 */
public final class ThreadCpu {

    private ThreadCpu() {
    }

    /** Thread id → {name, CPU ticks}, for one process. */
    public static Map<Long, Sample> snapshot(long pid) {
        Map<Long, Sample> threads = new HashMap<>();
        if (pid <= 0) {
            return threads;
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    threads.put(Long.parseLong(task.getFileName().toString()), new Sample(name, ticks));
                } catch (IOException | RuntimeException e) {
                    // The thread ended between listing and reading.
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone.
        }
        return threads;
    }

    public record Sample(String name, long ticks) {
    }

    /** CPU seconds per thread group between two snapshots, largest first. */
    public static Map<String, Double> groupsBetween(Map<Long, Sample> before, Map<Long, Sample> after) {
        Map<String, Double> groups = new HashMap<>();
        after.forEach((tid, sample) -> {
            Sample earlier = before.get(tid);
            long ticks = sample.ticks() - (earlier == null ? 0 : earlier.ticks());
            if (ticks > 0) {
                groups.merge(group(sample.name()), ticks / 100.0, Double::sum);
            }
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Digits that number threads of a pool ("GC Thread#1", "pool-2-thread-3"), not those of a name ("C2 ..."). */
    static String group(String threadName) {
        return threadName.replaceAll("#\\d+", "#").replaceAll("(?<=[\\-_ ])\\d+|(?<!#)\\d+$", "#");
    }

    /** Threads of the profiler itself (JFR, the attach listener jcmd talks to): overhead of measuring. */
    public static boolean isProfiler(String group) {
        return group.startsWith("JFR ") || group.startsWith("Attach Listener") || group.startsWith("JFR:");
    }

    /** What a thread group is, for the report (JVM-internal names are cryptic). */
    public static String describe(String group) {
        for (List<String> known : List.of(
                List.of("GC Thread", "GC"), List.of("G1 ", "GC"), List.of("VM Thread", "GC / safepoints"),
                List.of("C2 CompilerThre", "JIT (C2)"), List.of("C1 CompilerThre", "JIT (C1)"),
                List.of("http-nio", "HTTP requests"), List.of("kafka-producer", "Kafka producer I/O"),
                List.of("data-plane-kafk", "broker request handlers"), List.of("data-plane-kafka-network", "broker network"))) {
            if (group.startsWith(known.get(0))) {
                return group + " (" + known.get(1) + ")";
            }
        }
        return group;
    }
}
