package io.outboxcdc.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one JVM spent its CPU and allocations on, from a JFR file: the top frames (where the samples were taken)
 * and costs by component (the first frame from the top that is not JDK code names the library or our code that
 * asked for the work: a socket write under the PostgreSQL driver counts for the driver).
 */
public record ProfileSummary(long cpuSamples, Map<String, Long> topFrames, Map<String, Long> cpuByComponent,
        double allocatedMiB, Map<String, Double> allocationByComponent, Map<String, Double> allocatedClasses) {

    public static ProfileSummary read(Path jfr) throws IOException {
        Map<String, Long> frames = new HashMap<>();
        Map<String, Long> components = new HashMap<>();
        Map<String, Double> allocComponents = new HashMap<>();
        Map<String, Double> classes = new HashMap<>();
        long samples = 0;
        double allocated = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if ("jdk.ExecutionSample".equals(type)) {
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty() || isRecorder(stack.getFrames())) {
                        continue;
                    }
                    samples++;
                    frames.merge(frame(stack.getFrames().get(0)), 1L, Long::sum);
                    components.merge(component(stack.getFrames()), 1L, Long::sum);
                } else if ("jdk.ObjectAllocationSample".equals(type)) {
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack != null && isRecorder(stack.getFrames())) {
                        continue;
                    }
                    double mib = event.getLong("weight") / 1024.0 / 1024.0;
                    allocated += mib;
                    allocComponents.merge(stack == null ? "unknown" : component(stack.getFrames()), mib, Double::sum);
                    var objectClass = event.getClass("objectClass");
                    classes.merge(objectClass == null ? "unknown" : objectClass.getName(), mib, Double::sum);
                }
            }
        }
        return new ProfileSummary(samples, top(frames, 8), top(components, 5), allocated, top(allocComponents, 3),
                top(classes, 3));
    }

    /** Work of the flight recorder itself (the cost of measuring), left out. */
    static boolean isRecorder(List<RecordedFrame> frames) {
        return frames.stream().anyMatch(f -> f.getMethod().getType().getName().startsWith("jdk.jfr."));
    }

    static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The component that asked for the work: the first non-JDK frame from the top of the stack. */
    static String component(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!isJdk(type)) {
                return library(type);
            }
        }
        String top = frames.isEmpty() ? "?" : frames.get(0).getMethod().getType().getName();
        return "JDK only (" + packageOf(top, 3) + ")";
    }

    static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
                || type.startsWith("com.sun.") || type.startsWith("javax.");
    }

    static String library(String type) {
        String[][] known = {
            {"org.hibernate.validator.", "Hibernate Validator"}, {"org.hibernate.", "Hibernate ORM"},
            {"org.postgresql.", "PostgreSQL JDBC driver"},
            {"tools.jackson.", "Jackson (JSON)"}, {"com.fasterxml.jackson.", "Jackson 2 (JSON)"},
            {"org.apache.catalina.", "Tomcat"}, {"org.apache.coyote.", "Tomcat"}, {"org.apache.tomcat.", "Tomcat"},
            {"com.zaxxer.hikari.", "HikariCP"}, {"io.micrometer.", "Micrometer"}, {"ch.qos.logback.", "Logback"},
            {"org.springframework.kafka.", "Spring Kafka"}, {"org.springframework.orm.", "Spring ORM"},
            {"org.springframework.transaction.", "Spring transactions"}, {"org.springframework.jdbc.", "Spring JDBC"},
            {"org.springframework.web.", "Spring MVC"}, {"org.springframework.", "Spring (other)"},
            {"io.debezium.", "Debezium"},
            {"org.apache.kafka.connect.", "Kafka Connect runtime"}, {"org.apache.kafka.clients.producer.", "Kafka producer"},
            {"org.apache.kafka.clients.consumer.", "Kafka consumer"}, {"org.apache.kafka.common.", "Kafka common (client)"},
            {"org.apache.kafka.storage.", "Kafka log storage"}, {"org.apache.kafka.server.", "Kafka server"},
            {"org.apache.kafka.raft.", "Kafka KRaft"}, {"kafka.", "Kafka broker"}, {"org.apache.kafka.", "Kafka (other)"},
            {"net.jpountz.", "LZ4 compression"}, {"com.github.luben.", "zstd compression"},
            {"org.HdrHistogram.", "HdrHistogram"}, {"io.outboxcdc.", "our code"}};
        for (String[] k : known) {
            if (type.startsWith(k[0])) {
                return k[1];
            }
        }
        return packageOf(type, 2);
    }

    private static String packageOf(String type, int segments) {
        String[] parts = type.split("\\.");
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(segments, Math.max(1, parts.length - 1))));
    }

    private static <V extends Comparable<V>> Map<String, V> top(Map<String, V> values, int n) {
        Map<String, V> sorted = new LinkedHashMap<>();
        values.entrySet().stream().sorted(Map.Entry.<String, V>comparingByValue().reversed()).limit(n)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
